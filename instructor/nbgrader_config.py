"""nbgrader configuration for a class taught with "LSTM, Gate by Gate".

Copy this file into your course folder, a folder of its own OUTSIDE the course's
repository (see the instructors' page of the book). Every path below is relative to the
folder that holds this file, so the course folder can live anywhere.
"""

import os

from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
)

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

COURSE_FOLDER = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = COURSE_FOLDER
c.CourseDirectory.course_id = "lstm-gate-by-gate"

# release_assignment / fetch_assignment / submit / collect go through this folder. nbgrader's
# default, /srv/nbgrader/exchange, needs root to create; here it is part of the course folder.
# On a machine shared with the students, make it writable by all of them (chmod 1777) and
# give the students the same Exchange.root in their own nbgrader_config.py.
c.Exchange.root = os.path.join(COURSE_FOLDER, "exchange")

# Seconds per cell when nbgrader executes a notebook. nbgrader's default (30 s) is too
# short for the training chapters (10 and 11 train small models in the check cells) on a
# busy grading machine.
c.Execute.timeout = 300

# A check cell the student deleted is put back from the release and graded, instead of
# being silently skipped ("needs manual grade", 0 points). An edited check cell is always
# restored from the release.
c.OverwriteCells.add_missing_cells = True


class ForgetDuplicatedCells(NbGraderPreprocessor):
    """Drop the empty nbgrader metadata that DeduplicateIds leaves on a duplicated cell.

    nbgrader 0.9.x: when a student duplicates a check cell, DeduplicateIds keeps the last copy
    and sets ``nbgrader = {}`` on the others, on which ``add_missing_cells`` fails (KeyError
    'grade_id') and the whole notebook goes ungraded. Without the key, the copy is an ordinary
    cell, which is what DeduplicateIds meant.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get("nbgrader") == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    ForgetDuplicatedCells,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]

# A submission from a student not yet in the gradebook is graded (and the student added).
c.Autograde.create_student = True

# What a solution turns into in the student version. The message tells a student who runs
# an exercise cell before writing the answer what to do (the checks say the same).
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("replace this line with your answer")'
}
