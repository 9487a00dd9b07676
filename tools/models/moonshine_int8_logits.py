"""Keeps Moonshine's output projection in int8 (python3-onnx from Debian; run with /usr/bin/python3).

The shipped decoder computes logits as MatMul(h, DequantizeLinear(Transpose(E_q))) in both branches of its If node,
E_q being the int8 token embedding (32768 x 288). ONNX Runtime folds that constant into a 37.7 MB float32 table per
branch at load. The rewrite computes the same product the way the model's other layers already do (dynamic uint8
activations, MatMulInteger), reading E_q as it is, so nothing is unfolded:
    logits = Transpose(MatMulInteger(E_q, Transpose(q(h)), zp_E, zp_h)) * s_E * s_h
Usage: moonshine_int8_logits.py IN.onnx OUT.onnx
"""
import sys

import onnx
from onnx import helper

EMB = 'model.decoder.embed_tokens.weight_merged_0'


def rewrite(branch):
    nodes = list(branch.node)
    deq = next(n for n in nodes if n.op_type == 'DequantizeLinear' and n.input[0].endswith('weight_transposed_quantized'))
    mm = next(n for n in nodes if n.op_type == 'MatMul' and deq.output[0] in n.input)
    tr = next(n for n in nodes if n.op_type == 'Transpose' and deq.input[0] in n.output)
    h, logits, p = mm.input[0], mm.output[0], 'hearth_logits_'
    new = [
        helper.make_node('DynamicQuantizeLinear', [h], [p + 'hq', p + 'hs', p + 'hzp']),
        helper.make_node('Transpose', [p + 'hq'], [p + 'hqT'], perm=[0, 2, 1]),
        helper.make_node('MatMulInteger', [EMB + '_quantized', p + 'hqT', EMB + '_zero_point', p + 'hzp'], [p + 'acc']),
        helper.make_node('Cast', [p + 'acc'], [p + 'accf'], to=onnx.TensorProto.FLOAT),
        helper.make_node('Mul', [p + 'hs', EMB + '_scale'], [p + 'scale']),
        helper.make_node('Mul', [p + 'accf', p + 'scale'], [p + 'lT']),
        helper.make_node('Transpose', [p + 'lT'], [logits], perm=[0, 2, 1]),
    ]
    at = nodes.index(mm)
    kept = [n for n in nodes[:at] if n not in (deq, tr)] + new + [n for n in nodes[at + 1:] if n not in (deq, tr)]
    del branch.node[:]
    branch.node.extend(kept)


def main(src, dst):
    model = onnx.load(src)
    (if_node,) = [n for n in model.graph.node if n.op_type == 'If']
    for attr in if_node.attribute:
        rewrite(attr.g)
    onnx.save(model, dst)


if __name__ == '__main__':
    main(*sys.argv[1:3])
