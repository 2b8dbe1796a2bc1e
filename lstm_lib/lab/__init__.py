"""The course's laboratory: experiments the chapters run on top of the library.

Nothing here is part of the small library a student reads in ``lstm_lib/``; these
modules import the library, never the other way round.

================  ==========================================================  ========
module            what it holds                                                chapters
================  ==========================================================  ========
``memory``        gradient norms through time, the bit-storing hand-set cells  1, 3
``bptt_tools``    per-step gradient norms, truncated BPTT, clipping             7
``gru_variants``  the GRU's two reset placements and two update conventions     8, 9
``lstm_variants`` the LSTM family (no forget gate, peepholes, CIFG, NOAF)        (next)
``tasks``         synthetic long-range tasks (delayed recall, copy, adding)     10
``train``         small torch sequence models and a deterministic train loop    10-12
``text``          the shipped corpus, character vocabulary, text features       11, 12
``sampling``      sampling with temperature from a character model               11
``data/``         the corpus, shipped weights and shipped sweep results         10-12
================  ==========================================================  ========
"""
