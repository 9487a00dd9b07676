"""Stores a QDQ model's int8 weights as uint8 with zero point 128: the same numbers (w + 128 - 128), so the same model,
but ONNX Runtime then runs its convolutions as uint8 x uint8 instead of uint8 x int8.

Why: on x86 CPUs without VNNI (AVX2 only, or AVX-512 without VNNI: many AMD and older Intel machines), ONNX Runtime's
uint8 x int8 kernels multiply with vpmaddubsw, which adds pairs of products in saturating 16-bit sums; with full 8-bit
weights those sums clip. Measured on an AMD EPYC (AVX2) with the embedding model: cosine to the float embeddings 0.91 on
average (1st percentile 0.69) with int8 weights, 0.995 with these uint8 weights, the 0.995 that int8 weights give on
an AVX-512 VNNI CPU. uint8 x uint8 is computed exactly everywhere (ARM included), so the embeddings, and every wake
word trained on them, no longer depend on which CPU the hub has.

  /usr/bin/python3 tools/train/wake/u8weights.py <in.onnx> <out.onnx>
(quantize.py applies it before saving, so a new quantization comes out this way.)
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

SHIFT = 128


def unsigned_weights(model: onnx.ModelProto) -> int:
    """Rewrites, in place, every int8 initializer that a DequantizeLinear reads as its data (with its int8 zero point)
    as uint8 shifted by 128. Returns how many were rewritten."""
    inits = {i.name: i for i in model.graph.initializer}
    done = 0
    for node in model.graph.node:
        if node.op_type != 'DequantizeLinear' or len(node.input) < 3:
            continue
        data, zero = inits.get(node.input[0]), inits.get(node.input[2])
        if data is None or zero is None or data.data_type != onnx.TensorProto.INT8:
            continue
        for t in (data, zero):
            shifted = numpy_helper.to_array(t).astype(np.int16) + SHIFT
            t.CopyFrom(numpy_helper.from_array(shifted.astype(np.uint8), t.name))
        done += 1
    return done


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit('usage: u8weights.py <in.onnx> <out.onnx>')
    model = onnx.load(sys.argv[1])
    n = unsigned_weights(model)
    onnx.checker.check_model(model)
    onnx.save(model, sys.argv[2])
    print(f'{sys.argv[2]}: {n} weight tensors stored as uint8 (zero point 128)')


if __name__ == '__main__':
    main()
