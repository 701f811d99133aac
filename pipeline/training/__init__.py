"""On-chip (device-aware) training: DNN+NeuroSim V2.1 WAGE training with non-linear, asymmetric,
noisy weight updates, per-epoch training traces and statistics.  See `device`, `onchip`."""
