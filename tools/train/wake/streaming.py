"""Turns openWakeWord's embedding model (float or Hearth's QDQ int8 copies) into a streaming graph that computes the
same embeddings from only the mel frames that are new, plus a small cache of the frames each layer saw last.

Why this is exact: the network (Google's speech_embedding) is fully convolutional along time. Every convolution is
'valid' in time (no padding), its time kernels are 1 or 3 rows, and its three time pools halve with stride 2, so one
76-row window gives one embedding and a window 8 rows later shares all but the last rows of every layer. Windows
move by 8 mel frames (one 80 ms audio frame), a multiple of every pool's stride, so the pools pair the same rows in
every window. A layer whose time kernel is 3 needs the 2 rows before its new ones: that is the cache. With static
(calibrated) quantization the scales do not depend on the tensor, so the QDQ copies stay exact too.

The streaming graph:
  inputs   mel [1, rows, 32, 1]            (spec/10 + 2, as the window model takes)
           cache<i> [1, C_i, ctx, W_i]     one per time-3 convolution (11), ctx = 0 or 2
  outputs  embeddings [count, 96]
           cache<i>_out [1, C_i, 2, W_i]   the caches for the next call
Two ways to call it, one graph:
  - prime: empty caches (ctx 0) and 76 + 8 (count - 1) rows: the embeddings of `count` consecutive windows, ending
    at the last row (the window model's batch, computed once instead of once per window);
  - stream: the previous call's caches and 8 * count new rows: the next `count` embeddings.

  /usr/bin/python3 tools/train/wake/streaming.py <window.onnx> <stream.onnx>
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CONTEXT_ROWS = 2
MEL_BINS = 32
EMBEDDING = 96


def value_shapes(model: onnx.ModelProto) -> dict:
    """Every tensor's shape for one 76-row window (batch 1): the caches take their channels and widths from these."""
    fixed = onnx.ModelProto()
    fixed.CopyFrom(model)
    dims = fixed.graph.input[0].type.tensor_type.shape.dim
    dims[0].ClearField('dim_param')
    dims[0].dim_value = 1
    inferred = onnx.shape_inference.infer_shapes(fixed)
    shapes = {}
    for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        shapes[v.name] = [d.dim_value for d in v.type.tensor_type.shape.dim]
    return shapes


def const(graph: onnx.GraphProto, name: str, values) -> str:
    graph.initializer.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
    return name


def streaming(model: onnx.ModelProto) -> onnx.ModelProto:
    shapes = value_shapes(model)
    graph = model.graph
    producers = {o: n for n in graph.node for o in n.output}

    # The input: [1, rows, 32, 1] instead of [N, 76, 32, 1]; the first Reshape makes it [1, 1, rows, 32] (NCHW).
    first = graph.node[0]
    assert first.op_type == 'Reshape' and first.input[0] == graph.input[0].name, 'expected the model to start with a Reshape of its input'
    unused = [first.input[1], graph.node[-1].input[1]]
    first.input[0] = 'mel'
    first.input[1] = const(graph, 'stream_input_shape', [1, 1, -1, MEL_BINS])
    del graph.input[:]
    graph.input.append(helper.make_tensor_value_info('mel', TensorProto.FLOAT, [1, 'rows', MEL_BINS, 1]))

    starts = const(graph, 'cache_starts', [-CONTEXT_ROWS])
    ends = const(graph, 'cache_ends', [np.iinfo(np.int64).max])
    axes = const(graph, 'cache_axes', [2])
    added: list = []
    caches = []
    convs = [n for n in graph.node if n.op_type == 'Conv']
    for conv in convs:
        kernel = next(helper.get_attribute_value(a) for a in conv.attribute if a.name == 'kernel_shape')
        if kernel[0] == 1:
            continue
        assert kernel[0] == CONTEXT_ROWS + 1, f'{conv.name}: time kernel {kernel[0]} (only 1 and 3 are handled)'
        i = len(caches)
        name, out = f'cache{i}', f'cache{i}_out'
        _, channels, _, width = shapes[conv.input[0]]
        caches.append((name, out, channels, width))
        dq = producers.get(conv.input[0])
        if dq is not None and dq.op_type == 'DequantizeLinear':
            # QDQ: join the rows as uint8 between the Q and the DQ, so ONNX Runtime still fuses DQ -> Conv -> Q into
            # an int8 convolution. The cache travels as float (the DQ of its uint8), and is quantized back exactly.
            scale, zero = dq.input[1], dq.input[2]
            joined = f'{name}_joined_q'
            added += [
                helper.make_node('QuantizeLinear', [name, scale, zero], [f'{name}_q'], name=f'{name}_quantize'),
                helper.make_node('Concat', [f'{name}_q', dq.input[0]], [joined], axis=2, name=f'{name}_concat'),
                helper.make_node('Slice', [joined, starts, ends, axes], [f'{out}_q'], name=f'{name}_slice'),
                helper.make_node('DequantizeLinear', [f'{out}_q', scale, zero], [out], name=f'{name}_dequantize'),
            ]
            dq.input[0] = joined
        else:
            joined = f'{name}_joined'
            added += [
                helper.make_node('Concat', [name, conv.input[0]], [joined], axis=2, name=f'{name}_concat'),
                helper.make_node('Slice', [joined, starts, ends, axes], [out], name=f'{name}_slice'),
            ]
            conv.input[0] = joined
        graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, channels, f'ctx{i}', width]))

    # The output: [1, 96, count, 1] (NCHW) -> [count, 96] instead of [N, 1, 1, 96].
    last = graph.node[-1]
    assert last.op_type == 'Reshape' and last.output[0] == graph.output[0].name, 'expected the model to end with a Reshape'
    last.input[1] = const(graph, 'stream_output_shape', [EMBEDDING, -1])
    last.output[0] = 'embeddings_by_channel'
    added.append(helper.make_node('Transpose', ['embeddings_by_channel'], ['embeddings'], perm=[1, 0], name='embeddings_transpose'))
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info('embeddings', TensorProto.FLOAT, ['count', EMBEDDING]))
    for name, out, channels, width in caches:
        graph.output.append(helper.make_tensor_value_info(out, TensorProto.FLOAT, [1, channels, CONTEXT_ROWS, width]))

    # Nodes must stay in topological order: put each added node right after the last node whose output it reads.
    nodes = list(graph.node)
    for node in added:
        made = {o: k for k, n in enumerate(nodes) for o in n.output}
        after = max([made[i] for i in node.input if i in made], default=-1)
        nodes.insert(after + 1, node)
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]
    kept = [i for i in graph.initializer if i.name not in unused]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    return model


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit('usage: streaming.py <window.onnx> <stream.onnx>')
    model = streaming(onnx.load(sys.argv[1]))
    onnx.checker.check_model(model)
    onnx.save(model, sys.argv[2])
    print(f'{sys.argv[2]}: {len(model.graph.input) - 1} caches')


if __name__ == '__main__':
    main()
