"""Circuit models of the CIM macro (one module per family; see neurosim_core/DESIGN.md)."""
from .adc import MultilevelSAEncoder, MultilevelSenseAmp, sar_adc
from .sensing import Comparator, CurrentSenseAmp, ReadCircuit, ReadCircuitMode, VoltageSenseAmp
from .arithmetic import Adder, ShiftAdd
from .base import Component
from .buffer import Buffer
from .decoders import DecoderDriver, RowDecoder, WLDecoderOutput, WLNewDecoderDriver
from .dff import DFF
from .functional import MaxPooling, Sigmoid
from .interconnect import Bus, HTree, XYBus
from .sram_periphery import Precharger, SenseAmp, SramNewSA, SRAMWriteDriver
from .switching import DeMux, LevelShifter, Mux, NewMux, NewSwitchMatrix, SwitchMatrix

__all__ = [
    "sar_adc",
    "Adder", "Buffer", "Bus", "Comparator", "Component", "CurrentSenseAmp",
    "DecoderDriver", "DeMux", "DFF", "HTree", "LevelShifter", "MaxPooling", "MultilevelSAEncoder",
    "MultilevelSenseAmp", "Mux", "NewMux", "NewSwitchMatrix", "Precharger", "ReadCircuit", "ReadCircuitMode",
    "RowDecoder", "SenseAmp", "Sigmoid", "ShiftAdd", "SramNewSA", "SRAMWriteDriver", "SwitchMatrix",
    "VoltageSenseAmp", "WLDecoderOutput", "WLNewDecoderDriver", "XYBus",
]
