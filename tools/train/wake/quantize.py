"""int8 quantization of openWakeWord's embedding model, as a QDQ graph that ONNX Runtime fuses into
QLinearConv / QLinearLeakyRelu kernels (the float model costs about 1.2 ms a call, most of the wake
stage's 1.5 ms budget per 80 ms frame).

  /usr/bin/python3 tools/train/wake/quantize.py models/openwakeword-embedding/embedding_model.onnx \
      data/wake/calib.f32 models/openwakeword-embedding-int8/embedding_model_int8.onnx

How:
- Weights: int8, symmetric, one scale per output channel (+-127), then stored as uint8 with zero
  point 128 (u8weights.py: the same values) so that x86 CPUs without VNNI do not clip them in
  saturating int16 sums (vpmaddubsw); 7 bits (+-63) would have done that too, but cost accuracy
  (cosine to the float embeddings 0.9921 vs 0.9946 with min/max ranges).
- Activations: uint8, one scale and zero point per tensor. The range is the 0.01th and 99.99th
  percentile of the tensor's values in each batch of 256 calibration windows, averaged over the
  batches (cosine 0.9954; plain min/max over all windows 0.9921). The windows are what the hub's
  own features feed the model on training shards (calib.ts); the float graph runs here in torch.
- Biases: int32 at scale input_scale * weight_scale, as ONNX Runtime's QDQ Conv fusion wants.
- The model's activation is max(leaky_relu(x, 0.2), -0.4). The Max is dropped and the -0.4 floor
  becomes the bottom of the uint8 range of the LeakyRelu's output: quantizing saturates there, so
  the function is the same and no float op is left between the int8 kernels.
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper, TensorProto

from u8weights import unsigned_weights

WINDOW = (76, 32)
WEIGHT_MAX = 127
FLOOR = -0.4


def load_calibration(path):
    data = np.fromfile(path, dtype=np.float32)
    return data.reshape(-1, WINDOW[0], WINDOW[1], 1)


def run_float(model, x):
    """Runs the float graph in torch; returns every tensor by name (the graph has five op types)."""
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    env = {model.graph.input[0].name: torch.from_numpy(x)}
    for n in model.graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        args = [env[i] if i in env else inits[i] for i in n.input]
        if n.op_type == 'Reshape':
            y = args[0].reshape([int(v) for v in args[1]])
        elif n.op_type == 'Conv':
            top, left, bottom, right = attrs.get('pads', [0, 0, 0, 0])
            assert top == bottom and left == right and attrs.get('group', 1) == 1
            y = F.conv2d(args[0], args[1], args[2] if len(args) > 2 else None, stride=tuple(attrs.get('strides', [1, 1])), padding=(top, left))
        elif n.op_type == 'LeakyRelu':
            y = F.leaky_relu(args[0], attrs['alpha'])
        elif n.op_type == 'Max':
            y = torch.maximum(args[0], args[1])
        elif n.op_type == 'MaxPool':
            assert not any(attrs.get('pads', [0])), n.name
            y = F.max_pool2d(args[0], tuple(attrs['kernel_shape']), tuple(attrs['strides']))
        else:
            raise ValueError(f'unexpected op {n.op_type}')
        env[n.output[0]] = y
    return env


def activation_ranges(model, calib, pct=99.99, batch=256, sample=2_000_000):
    """Per tensor: the (100 - pct)th and pct-th percentile in each batch, averaged over batches."""
    lo, hi, batches = {}, {}, 0
    pick = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for at in range(0, len(calib), batch):
            env = run_float(model, calib[at:at + batch])
            batches += 1
            for name, t in env.items():
                v = t.reshape(-1)
                if v.numel() > sample:  # torch.quantile's limit; a uniform sample is plenty
                    v = v[torch.randint(0, v.numel(), (sample,), generator=pick)]
                qs = torch.quantile(v, torch.tensor([1 - pct / 100, pct / 100]))
                lo[name] = lo.get(name, 0.0) + min(float(qs[0]), 0.0)  # 0 must be exact: zero padding
                hi[name] = hi.get(name, 0.0) + max(float(qs[1]), 0.0)
    return {k: v / batches for k, v in lo.items()}, {k: v / batches for k, v in hi.items()}


def uint8_params(lo, hi):
    scale = (hi - lo) / 255.0
    zero = int(round(-lo / scale))
    return np.float32(scale), np.uint8(min(255, max(0, zero)))


class Builder:
    def __init__(self, model):
        self.model = model
        self.inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
        self.nodes = []
        self.new_inits = []

    def const(self, name, value):
        self.new_inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def qdq(self, tensor, scale, zero):
        """tensor -> QuantizeLinear -> DequantizeLinear; returns the dequantized name."""
        s = self.const(f'{tensor}__scale', np.float32(scale))
        z = self.const(f'{tensor}__zero', np.uint8(zero))
        self.nodes.append(helper.make_node('QuantizeLinear', [tensor, s, z], [f'{tensor}__q']))
        self.nodes.append(helper.make_node('DequantizeLinear', [f'{tensor}__q', s, z], [f'{tensor}__dq']))
        return f'{tensor}__dq'


def quantize(model, lo, hi):
    b = Builder(model)
    params = {}  # tensor name -> (scale, zero) of its uint8 form
    renamed = {}  # float tensor name -> the dequantized tensor consumers read

    def quantized(name, lo_v, hi_v):
        params[name] = uint8_params(lo_v, hi_v)
        renamed[name] = b.qdq(name, *params[name])

    nodes = list(model.graph.node)
    for i, n in enumerate(nodes):
        ins = [renamed.get(x, x) for x in n.input]
        out = n.output[0]
        if n.op_type == 'Reshape':
            b.nodes.append(helper.make_node('Reshape', ins, [out]))
            if i == 0:
                quantized(out, lo[out], hi[out])
        elif n.op_type == 'Conv':
            w = b.inits[n.input[1]]
            w_scale = (np.abs(w).reshape(w.shape[0], -1).max(axis=1) / WEIGHT_MAX).astype(np.float32)
            w_scale[w_scale == 0] = 1.0
            w_q = np.clip(np.round(w / w_scale[:, None, None, None]), -WEIGHT_MAX, WEIGHT_MAX).astype(np.int8)
            wn = f'{n.input[1]}__int8'
            b.const(wn, w_q)
            b.const(f'{wn}__scale', w_scale)
            b.const(f'{wn}__zero', np.zeros(w.shape[0], np.int8))
            b.nodes.append(helper.make_node('DequantizeLinear', [wn, f'{wn}__scale', f'{wn}__zero'], [f'{wn}__dq'], axis=0))
            conv_ins = [ins[0], f'{wn}__dq']
            if len(n.input) > 2:
                x_scale = params[n.input[0]][0]
                bias_scale = (x_scale * w_scale).astype(np.float32)
                bias_q = np.round(b.inits[n.input[2]] / bias_scale).astype(np.int32)
                bn = f'{n.input[2]}__int32'
                b.const(bn, bias_q)
                b.const(f'{bn}__scale', bias_scale)
                b.const(f'{bn}__zero', np.zeros(w.shape[0], np.int32))
                b.nodes.append(helper.make_node('DequantizeLinear', [bn, f'{bn}__scale', f'{bn}__zero'], [f'{bn}__dq'], axis=0))
                conv_ins.append(f'{bn}__dq')
            b.nodes.append(helper.make_node('Conv', conv_ins, [out], **{a.name: helper.get_attribute_value(a) for a in n.attribute}))
            quantized(out, lo[out], hi[out])
        elif n.op_type == 'LeakyRelu':
            nxt = nodes[i + 1]
            assert nxt.op_type == 'Max' and abs(float(b.inits[nxt.input[1]].reshape(-1)[0]) - FLOOR) < 1e-6, 'expected max(leaky_relu(x), -0.4)'
            b.nodes.append(helper.make_node('LeakyRelu', ins, [out], alpha=helper.get_attribute_value(n.attribute[0])))
            quantized(out, FLOOR, hi[nxt.output[0]])
            renamed[nxt.output[0]] = renamed[out]
            params[nxt.output[0]] = params[out]
        elif n.op_type == 'Max':
            continue  # folded into the LeakyRelu's uint8 range above
        elif n.op_type == 'MaxPool':
            b.nodes.append(helper.make_node('MaxPool', ins, [out], **{a.name: helper.get_attribute_value(a) for a in n.attribute}))
            # Max pooling keeps values: the same uint8 parameters, so ONNX Runtime runs it on uint8.
            params[out] = params[n.input[0]]
            renamed[out] = b.qdq(out, *params[out])
        else:
            raise ValueError(n.op_type)
    # Keep the graph's output name: the last node writes it.
    graph = helper.make_graph(b.nodes, model.graph.name + '_int8', list(model.graph.input), list(model.graph.output),
                              [i for i in model.graph.initializer if i.name.startswith('new_shape')] + b.new_inits)
    q = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='hearth tools/train/wake/quantize.py')
    q.ir_version = 7
    onnx.checker.check_model(q)
    return q


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: quantize.py <embedding_model.onnx> <calib.f32> <out.onnx>')
    model = onnx.load(sys.argv[1])
    calib = load_calibration(sys.argv[2])
    lo, hi = activation_ranges(model, calib)
    q = quantize(model, lo, hi)
    unsigned_weights(q)
    onnx.checker.check_model(q)
    onnx.save(q, sys.argv[3])
    # The manifest's id, file, license and source; `node dist/tools/models/manifest.js` adds size, sha256 and shapes.
    folder, file = os.path.split(os.path.abspath(sys.argv[3]))
    manifest_path = os.path.join(folder, 'manifest.json')
    manifest = json.load(open(manifest_path)) if os.path.exists(manifest_path) else {}
    manifest.update({'id': os.path.basename(folder), 'file': file, 'license': 'Apache-2.0', 'sampleRateHz': 16000,
                     'source': 'Hearth: tools/train/wake/quantize.py, int8 QDQ quantization of models/openwakeword-embedding (openWakeWord v0.1 embedding model, Apache-2.0)'})
    with open(manifest_path, 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    print(f'{sys.argv[3]}: {len(calib)} calibration windows, {sum(1 for n in q.graph.node if n.op_type == "Conv")} int8 convolutions')


if __name__ == '__main__':
    main()
