"""Re-quantizes a QDQ embedding model's int8 weights to 7 bits (-63..63, one scale per output channel), from the float
model's own weights, so that x86 CPUs without VNNI can run ONNX Runtime's fast uint8 x int8 kernels exactly.

Why: those kernels multiply with vpmaddubsw, which adds two uint8 x int8 products in a saturating 16-bit sum. With
activations up to 255 and weights up to 127 the sum can reach 64770 and clips (u8weights.py's docstring: cosine 0.91 on
an AVX2 AMD EPYC); with weights up to 63 it stays within 2 x 255 x 63 = 32130 < 32767, so every sum is exact. The
exact alternative, uint8 weights (u8weights.py), runs ONNX Runtime's uint8 x uint8 kernels, which on AVX2 cost about
1.3-2x as much per call. What 7 bits cost is accuracy: half the weight resolution (the card says how much).

Activation scales and zero points are kept as they are in the input model (quantize.py chose them on calibration
windows), so only the weights and, at their new scales, the int32 biases change.

Tried on 2026-11-22 and not shipped (models/openwakeword-embedding-int8/card.md has the numbers): exact on an AVX2 AMD
EPYC (bit-identical to onnxruntime-web) and 1.4x faster a call than the uint8 copy there, but its embeddings are less
precise (cosine 0.990 vs 0.995) and Hearth's classifiers missed 59 instead of 49 of 1216 confirmation positives.

  /usr/bin/python3 tools/train/wake/w7weights.py models/openwakeword-embedding-int8-vnni/embedding_model_int8_vnni.onnx \
      models/openwakeword-embedding/embedding_model.onnx /tmp/embedding_model_int8_w7.onnx
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

WEIGHT_MAX = 63
INT8_SUFFIX = '__int8'
INT32_SUFFIX = '__int32'


def seven_bit_weights(qdq: onnx.ModelProto, float_model: onnx.ModelProto) -> int:
    """Rewrites, in place, each Conv's int8 weights (and its int32 bias) from the float model's tensors of the same
    name (quantize.py names them '<float name>__int8' and '<float name>__int32'). Returns how many Convs changed."""
    inits = {i.name: i for i in qdq.graph.initializer}
    floats = {i.name: numpy_helper.to_array(i) for i in float_model.graph.initializer}
    made_by = {o: n for n in qdq.graph.node for o in n.output}

    def set_init(name: str, value: np.ndarray) -> None:
        inits[name].CopyFrom(numpy_helper.from_array(value, name))

    done = 0
    for conv in (n for n in qdq.graph.node if n.op_type == 'Conv'):
        x_dq, w_dq = made_by[conv.input[0]], made_by[conv.input[1]]
        w_name = w_dq.input[0]
        if not w_name.endswith(INT8_SUFFIX):
            raise ValueError(f'{conv.name or conv.output[0]}: weights {w_name} are not an int8 initializer from quantize.py')
        w = floats[w_name[:-len(INT8_SUFFIX)]].astype(np.float64)
        peak = np.abs(w.reshape(w.shape[0], -1)).max(axis=1)
        scale = np.where(peak > 0, peak / WEIGHT_MAX, 1.0)
        shape = (-1,) + (1,) * (w.ndim - 1)
        q = np.clip(np.round(w / scale.reshape(shape)), -WEIGHT_MAX, WEIGHT_MAX).astype(np.int8)
        set_init(w_name, q)
        set_init(w_dq.input[1], scale.astype(np.float32))
        set_init(w_dq.input[2], np.zeros(w.shape[0], dtype=np.int8))
        if len(conv.input) > 2:
            b_dq = made_by[conv.input[2]]
            b_name = b_dq.input[0]
            if not b_name.endswith(INT32_SUFFIX):
                raise ValueError(f'{conv.name or conv.output[0]}: bias {b_name} is not an int32 initializer from quantize.py')
            x_scale = float(numpy_helper.to_array(inits[x_dq.input[1]]))
            b_scale = (x_scale * scale.astype(np.float32)).astype(np.float32)
            b = floats[b_name[:-len(INT32_SUFFIX)]].astype(np.float64)
            set_init(b_name, np.round(b / b_scale).astype(np.int32))
            set_init(b_dq.input[1], b_scale)
            set_init(b_dq.input[2], np.zeros(w.shape[0], dtype=np.int32))
        done += 1
    return done


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit('usage: w7weights.py <qdq int8-weight model> <float model> <out.onnx>')
    model = onnx.load(sys.argv[1])
    n = seven_bit_weights(model, onnx.load(sys.argv[2]))
    onnx.checker.check_model(model)
    onnx.save(model, sys.argv[3])
    print(f'{sys.argv[3]}: {n} convolutions with 7-bit weights (|w| <= {WEIGHT_MAX})')


if __name__ == '__main__':
    main()
