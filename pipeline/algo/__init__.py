"""The torch side: data sets, WAGE-quantised layers and networks, training, hardware-aware inference
and trace export.

Modules: `config` (typed algorithm configs), `data`, `quant` (WAGE quantisers and layers), `models`
(VGG-8 / ResNet-18 / DenseNet-40 and the ``NetWork.csv`` table), `train`, `hw_infer` (hardware-aware
inference with CIM non-idealities, Numba kernels), `trace_export` (per-layer traces), `progress`
(progress lines of the long loops).
"""
