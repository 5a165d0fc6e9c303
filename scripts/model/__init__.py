"""The model: training, export to ONNX, evaluation, the model card and its checks."""
