"""Network table (NeuroSim V1.4 NetWork.csv format) tests."""
import pytest

from neurosim_core.network import LayerSpec, Network, NetworkError, read_network_csv

# NeuroSim V1.4 NetWork_VGG8.csv (shared/reference/README.md)
VGG8_CSV = """32,32,3,3,3,128,0,1
32,32,128,3,3,128,1,1
16,16,128,3,3,256,0,1
16,16,256,3,3,256,1,1
8,8,256,3,3,512,0,1
8,8,512,3,3,512,1,1
1,1,8192,1,1,1024,0,1
1,1,1024,1,1,10,0,1
"""


def test_read_vgg8(tmp_path):
    path = tmp_path / "NetWork_VGG8.csv"
    path.write_text(VGG8_CSV)
    net = read_network_csv(path)
    assert len(net) == 8
    assert net[1] == LayerSpec(32, 32, 128, 3, 3, 128, True, 1)
    assert net[6].is_fc and not net[0].is_fc
    assert net.names[0] == "layer1"
    # numComputation for VGG-8 is 1.2318e9 (reference README; TOPS*latency of the default run)
    assert net.num_computation == 1231835136
    assert net[0].weight_rows == 27


def test_num_in_vectors_reference_quirk():
    # valid-padding window count: 900 of the 1024 windows of a same-padded 32x32 3x3 conv
    assert LayerSpec(32, 32, 3, 3, 3, 128).num_in_vectors == 900
    assert LayerSpec(1, 1, 8192, 1, 1, 1024).num_in_vectors == 1
    # floating-point evaluation left to right, truncated at the end: 29/2*29/2 = 210.25
    assert LayerSpec(31, 31, 3, 3, 3, 8, stride=2).num_in_vectors == 210


def test_names_and_rows():
    net = Network.from_rows([(8, 8, 4, 3, 3, 16, 1, 1)], names=["Conv0"])
    assert net.names == ("Conv0",)
    assert net[0].as_row() == (8, 8, 4, 3, 3, 16, 1, 1)
    with pytest.raises(NetworkError, match="2 layer names"):
        Network.from_rows([(8, 8, 4, 3, 3, 16, 1, 1)], names=["a", "b"])


@pytest.mark.parametrize("text, match", [
    ("32,32,3,3,3,128,0\n", r"row 1: expected 8 fields"),
    ("32,32,3,3,3,128,0,1\n16,16,x,3,3,8,0,1\n", r"row 2, field 'ifm_c': 'x' is not a number"),
    ("32,32,3,3,3,128,2,1\n", r"row 1, field 'pool': 2 must be 0 or 1"),
    ("32,32,3,3,3,0,0,1\n", r"row 1, field 'c_out': 0 must be a positive integer"),
    ("32,32,3,3.5,3,8,0,1\n", r"row 1, field 'k_h': '3.5' is not an integer"),
    ("2,2,3,3,3,8,0,1\n", r"row 1: layer kernel 3x3 is larger than its input 2x2"),
    ("\n\n", r"no layers found"),
])
def test_malformed(tmp_path, text, match):
    path = tmp_path / "net.csv"
    path.write_text(text)
    with pytest.raises(NetworkError, match=match) as info:
        read_network_csv(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_network_csv(tmp_path / "absent.csv")
