"""Circuit models of the CIM macro (one module per family; see neurosim_core/DESIGN.md)."""
from .adc import MultilevelSAEncoder, MultilevelSenseAmp, sar_adc
from .sensing import Comparator, CurrentSenseAmp, ReadCircuit, ReadCircuitMode, VoltageSenseAmp
from .arithmetic import Adder, AdderTree, BitShifter, ShiftAdd
from .base import Component
from .buffer import Buffer, BufferSpec  # the builder: circuits.buffer.buffer (name of its module)
from .decoders import DecoderDriver, RowDecoder, WLDecoderOutput, WLNewDecoderDriver
from .dff import DFF
from .functional import MaxPooling, MaxPoolingSpec, Sigmoid, SigmoidSpec, max_pooling, sigmoid
from .interconnect import Bus, BusSpec, HTree, HTreeSpec, WireSpec, XYBus, XyBusSpec, bus, htree, xy_bus
from .sram_periphery import Precharger, SenseAmp, SramNewSA, SRAMWriteDriver
from .switching import DeMux, LevelShifter, Mux, NewMux, NewSwitchMatrix, SwitchMatrix

__all__ = [
    "sar_adc", "BufferSpec", "htree", "HTreeSpec", "bus", "BusSpec", "xy_bus", "XyBusSpec", "WireSpec",
    "max_pooling", "MaxPoolingSpec", "sigmoid", "SigmoidSpec",
    "Adder", "AdderTree", "BitShifter", "Buffer", "Bus", "Comparator", "Component", "CurrentSenseAmp",
    "DecoderDriver", "DeMux", "DFF", "HTree", "LevelShifter", "MaxPooling", "MultilevelSAEncoder",
    "MultilevelSenseAmp", "Mux", "NewMux", "NewSwitchMatrix", "Precharger", "ReadCircuit", "ReadCircuitMode",
    "RowDecoder", "SenseAmp", "Sigmoid", "ShiftAdd", "SramNewSA", "SRAMWriteDriver", "SwitchMatrix",
    "VoltageSenseAmp", "WLDecoderOutput", "WLNewDecoderDriver", "XYBus",
]
