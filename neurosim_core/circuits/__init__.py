"""Circuit models of the CIM macro (one module per family; see neurosim_core/DESIGN.md)."""
from .adc import sar_adc
from .mlsa import MlsaEncoderSpec, MlsaSpec, mlsa_encoder, multilevel_sense_amp
from .sensing import (
    Comparator, ComparatorSpec, CurrentSenseAmpSpec, ReadCircuitMode, ReadCircuitSpec, VoltageSenseAmpSpec, comparator,
    current_sense_amp, read_circuit, voltage_sense_amp,
)
from .arithmetic import Adder, AdderTree, BitShifter, ShiftAdd
from .base import Component
from .buffer import Buffer, BufferSpec  # the builder: circuits.buffer.buffer (name of its module)
from .decoders import DecoderDriver, RowDecoder, WLDecoderOutput, WLNewDecoderDriver
from .dff import DFF
from .functional import MaxPooling, MaxPoolingSpec, Sigmoid, SigmoidSpec, max_pooling, sigmoid
from .interconnect import Bus, BusSpec, HTree, HTreeSpec, WireSpec, XYBus, XyBusSpec, bus, htree, xy_bus
from .sram_periphery import (
    Precharger, PrechargerSpec, SenseAmp, SenseAmpSpec, SRAMWriteDriver, SramNewSaSpec, SramWriteDriverSpec, precharger,
    sense_amp, sram_new_sa, sram_write_driver,
)
from .switching import DeMux, LevelShifter, Mux, NewMux, NewSwitchMatrix, SwitchMatrix

__all__ = [
    "sar_adc", "BufferSpec", "htree", "HTreeSpec", "bus", "BusSpec", "xy_bus", "XyBusSpec", "WireSpec",
    "max_pooling", "MaxPoolingSpec", "sigmoid", "SigmoidSpec", "multilevel_sense_amp", "MlsaSpec", "mlsa_encoder", "MlsaEncoderSpec",
    "comparator", "ComparatorSpec", "current_sense_amp", "CurrentSenseAmpSpec", "read_circuit", "ReadCircuitSpec",
    "voltage_sense_amp", "VoltageSenseAmpSpec", "precharger", "PrechargerSpec", "sram_write_driver",
    "SramWriteDriverSpec", "sense_amp", "SenseAmpSpec", "sram_new_sa", "SramNewSaSpec",
    "Adder", "AdderTree", "BitShifter", "Buffer", "Bus", "Comparator", "Component",
    "DecoderDriver", "DeMux", "DFF", "HTree", "LevelShifter", "MaxPooling",
    "Mux", "NewMux", "NewSwitchMatrix", "Precharger", "ReadCircuitMode",
    "RowDecoder", "SenseAmp", "Sigmoid", "ShiftAdd", "SRAMWriteDriver", "SwitchMatrix",
    "WLDecoderOutput", "WLNewDecoderDriver", "XYBus",
]
