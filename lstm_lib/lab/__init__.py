"""The course's laboratory: experiments the chapters run on top of the library.

Nothing here is part of the small library a student reads in ``lstm_lib/``; these
modules import the library, never the other way round.

- ``memory`` (chapters 1, 3): gradient norms through time, the bit-storing hand-set cells;
- ``bptt_tools`` (chapter 7): per-step gradient norms, truncated BPTT, clipping;
- ``gru_variants`` (chapters 8, 9): the GRU's two reset placements and update conventions;
- ``lstm_variants``: the LSTM family (no forget gate, peepholes, CIFG, no output
  activation) as one cell with switches;
- ``tasks`` (chapter 10): synthetic long-range tasks (delayed recall, copy, adding);
- ``train`` (chapters 10-12): small torch sequence models and a deterministic training loop;
- ``text`` (chapters 11, 12): the shipped corpus, character vocabulary, text features;
- ``sampling`` (chapter 11): sampling with temperature from a character model;
- ``data/`` (chapters 10-12): the corpus, shipped weights and shipped sweep results.
"""
