"""A SageMaker-compatible model server for XGBoost and ONNX models, on CPU or GPU."""
