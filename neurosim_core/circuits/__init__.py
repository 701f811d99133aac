"""Circuit models of the CIM macro (one module per family; see neurosim_core/DESIGN.md)."""
from .adc import sar_adc
from .mlsa import MlsaEncoderSpec, MlsaSpec, mlsa_encoder, multilevel_sense_amp
from .sensing import (
    ComparatorSpec, CurrentSenseAmpSpec, ReadCircuitMode, ReadCircuitSpec, VoltageSenseAmpSpec, comparator,
    current_sense_amp, read_circuit, voltage_sense_amp,
)
from .buffer import BufferSpec  # the builder: circuits.buffer.buffer (name of its module)
from .decoders import (
    DecoderDriverSpec, RowDecoderSpec, WlDecoderOutputSpec, WlNewDecoderDriverSpec, decoder_driver,
    row_decoder, wl_decoder_output, wl_new_decoder_driver,
)
from .functional import MaxPoolingSpec, SigmoidSpec, max_pooling, sigmoid
from .interconnect import BusSpec, HTreeSpec, WireSpec, XyBusSpec, bus, htree, xy_bus
from .sram_periphery import (
    PrechargerSpec, SenseAmpSpec, SramNewSaSpec, SramWriteDriverSpec, precharger,
    sense_amp, sram_new_sa, sram_write_driver,
)
from .switching import (
    DemuxSpec, LevelShifterSpec, MuxSpec, NewMuxSpec, NewSwitchMatrixSpec, SwitchMatrixSpec, demux, level_shifter, mux,
    new_mux, new_switch_matrix, switch_matrix,
)

__all__ = [
    "sar_adc", "BufferSpec", "htree", "HTreeSpec", "bus", "BusSpec", "xy_bus", "XyBusSpec", "WireSpec",
    "max_pooling", "MaxPoolingSpec", "sigmoid", "SigmoidSpec", "multilevel_sense_amp", "MlsaSpec", "mlsa_encoder", "MlsaEncoderSpec",
    "comparator", "ComparatorSpec", "current_sense_amp", "CurrentSenseAmpSpec", "read_circuit", "ReadCircuitSpec",
    "voltage_sense_amp", "VoltageSenseAmpSpec", "precharger", "PrechargerSpec", "sram_write_driver",
    "SramWriteDriverSpec", "sense_amp", "SenseAmpSpec", "sram_new_sa", "SramNewSaSpec",
    "row_decoder", "RowDecoderSpec", "decoder_driver", "DecoderDriverSpec", "wl_new_decoder_driver",
    "WlNewDecoderDriverSpec", "wl_decoder_output", "WlDecoderOutputSpec", "switch_matrix", "SwitchMatrixSpec",
    "new_switch_matrix", "NewSwitchMatrixSpec", "mux", "MuxSpec", "new_mux", "NewMuxSpec", "demux", "DemuxSpec",
    "level_shifter", "LevelShifterSpec", "ReadCircuitMode",
]
