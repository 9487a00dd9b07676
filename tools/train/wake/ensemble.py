"""One ONNX model whose score is the mean of several models' scores, for the same input.

Why: two hey_jarvis classifiers trained on different data err on different clips (the seventh-run one on slow flite
speech, the train-all one of 2026-12-05 on ordinary sets); their mean, with the mean of their verifiers, ships as
models/wake-hearth-hey_jarvis{,-verifier} since 2026-12-06 (docs/results/wake-synthetic.md, 2026-12-06; the cards name the
members). Averaging their sigmoid outputs is the plainest ensemble, and as one file it needs nothing new in the hub: the
manifest, the detector and wake-eval see an ordinary classifier (or verifier) with the same input and output names and
shapes.

  /usr/bin/python3 tools/train/wake/ensemble.py <out.onnx> <a.onnx> <b.onnx> [...]

Every model must have one input and one output, all with the same names and shapes (checked).
"""
import sys

import onnx
from onnx import checker, compose, helper


def merge(paths: list[str]) -> onnx.ModelProto:
    models = [onnx.load(p) for p in paths]
    first = models[0]
    signature = lambda m: ([(i.name, str(i.type)) for i in m.graph.input if i.name not in {t.name for t in m.graph.initializer}],
                           [(o.name, str(o.type)) for o in m.graph.output])
    for p, m in zip(paths, models):
        if signature(m) != signature(first):
            sys.exit(f'ensemble.py: {p} has inputs/outputs {signature(m)}, {paths[0]} has {signature(first)}')
        if len(signature(m)[0]) != 1 or len(m.graph.output) != 1:
            sys.exit(f'ensemble.py: {p} must have exactly one input and one output')
    (input_name, _), = signature(first)[0]
    output = first.graph.output[0]
    nodes, inits, scores = [], [], []
    for k, m in enumerate(models):
        # Prefix every name but the shared input, so the members' weights and intermediate tensors stay apart.
        g = compose.add_prefix(m, f'm{k}_').graph
        for n in g.node:
            n.input[:] = [input_name if x == f'm{k}_{input_name}' else x for x in n.input]
        nodes.extend(g.node)
        inits.extend(g.initializer)
        scores.append(f'm{k}_{output.name}')
    nodes.append(helper.make_node('Mean', scores, [output.name], name='ensemble_mean'))
    # The data input by name: old-IR models also list their initializers as graph inputs, so input[0] may be a weight.
    data_input = next(i for i in first.graph.input if i.name == input_name)
    graph = helper.make_graph(nodes, 'ensemble', [data_input], [output], inits)
    model = helper.make_model(graph, opset_imports=list(first.opset_import))
    model.ir_version = first.ir_version
    model.doc_string = 'mean of: ' + ', '.join(paths)
    checker.check_model(model)
    return model


if __name__ == '__main__':
    if len(sys.argv) < 4:
        sys.exit('usage: ensemble.py <out.onnx> <a.onnx> <b.onnx> [...]')
    onnx.save(merge(sys.argv[2:]), sys.argv[1])
    print(f'{sys.argv[1]}: mean of {len(sys.argv) - 2} models')
