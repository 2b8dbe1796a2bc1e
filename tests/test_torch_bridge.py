"""from_torch / to_torch for every cell and layer: weights, dtype, refusals, lazy import."""

import subprocess
import sys

import numpy as np
import pytest

from lstm_lib import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell

torch = pytest.importorskip("torch")

CLASSES = [LSTMCell, GRUCell, RNNCell, LSTM, GRU, RNN]
PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def torch_name(cls, key):
    return key + ("_l0" if cls in (LSTM, GRU, RNN) else "")


@pytest.mark.parametrize("torch_dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("cls", CLASSES)
def test_from_torch_copies_weights_and_dtype(cls, torch_dtype):
    torch.manual_seed(0)
    module = getattr(torch.nn, cls.__name__)(3, 5, dtype=torch_dtype)
    ours = cls.from_torch(module)
    expected = np.float32 if torch_dtype == torch.float32 else np.float64
    assert type(ours) is cls and (ours.input_size, ours.hidden_size) == (3, 5)
    assert ours.dtype == expected
    for key in PARAMS:
        theirs = getattr(module, torch_name(cls, key)).detach().numpy()
        assert getattr(ours, key).dtype == expected
        np.testing.assert_array_equal(getattr(ours, key), theirs)
    ours.weight_ih[0, 0] += 1.0  # a copy, not shared memory
    assert getattr(module, torch_name(cls, "weight_ih"))[0, 0].item() != ours.weight_ih[0, 0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cls", CLASSES)
def test_round_trip_preserves_weights_and_dtype(cls, dtype):
    ours = cls(4, 3, dtype=dtype, seed=1)
    module = ours.to_torch()
    assert isinstance(module, getattr(torch.nn, cls.__name__))
    back = cls.from_torch(module)
    assert back.dtype == dtype
    for key in PARAMS:
        tensor = getattr(module, torch_name(cls, key))
        assert tensor.dtype == (torch.float32 if dtype == np.float32 else torch.float64)
        np.testing.assert_array_equal(getattr(back, key), getattr(ours, key))


def test_to_torch_with_explicit_dtype():
    ours = LSTM(2, 3, seed=0)
    module = ours.to_torch(torch.float32)
    assert module.weight_ih_l0.dtype == torch.float32
    np.testing.assert_allclose(module.weight_ih_l0.detach().numpy(), ours.weight_ih, rtol=1e-7)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("cls", [RNNCell, RNN])
def test_rnn_nonlinearity_travels_both_ways(cls, nonlinearity):
    ours = cls(2, 3, nonlinearity=nonlinearity, seed=0)
    module = ours.to_torch()
    assert module.nonlinearity == nonlinearity
    assert cls.from_torch(module).nonlinearity == nonlinearity


def test_from_torch_refuses_the_wrong_module():
    with pytest.raises(TypeError, match=r"LSTMCell\.from_torch: expected torch\.nn\.LSTMCell"):
        LSTMCell.from_torch(torch.nn.GRUCell(2, 3))
    with pytest.raises(TypeError, match=r"LSTM\.from_torch"):
        LSTM.from_torch(torch.nn.LSTMCell(2, 3))


@pytest.mark.parametrize(
    "kwargs",
    [{"num_layers": 2}, {"bidirectional": True}, {"batch_first": True}, {"proj_size": 1}],
)
def test_from_torch_refuses_layouts_it_cannot_represent(kwargs):
    with pytest.raises(ValueError, match=r"LSTM\.from_torch: expected num_layers=1"):
        LSTM.from_torch(torch.nn.LSTM(2, 3, **kwargs))


def test_from_torch_refuses_modules_without_bias():
    with pytest.raises(ValueError, match="bias"):
        GRU.from_torch(torch.nn.GRU(2, 3, bias=False))


def test_from_torch_refuses_other_dtypes():
    with pytest.raises(TypeError, match="float32 or float64"):
        RNNCell.from_torch(torch.nn.RNNCell(2, 3, dtype=torch.float16))


def test_numeric_core_works_without_torch():
    # sys.modules["torch"] = None makes any `import torch` fail, as if it were not installed
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "import numpy as np, lstm_lib\n"
        "(hs, _), cache = lstm_lib.LSTM(2, 3, seed=0).forward(np.ones((4, 2)))\n"
        "assert hs.shape == (4, 3)\n"
        "try:\n"
        "    lstm_lib.LSTM(2, 3).to_torch()\n"
        "except ImportError:\n"
        "    print('bridge needs torch')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "bridge needs torch"
