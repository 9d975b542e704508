"""A small ONNX-graph-to-PyTorch interpreter: runs an ONNX graph node by node with torch ops, so that its weights
can be fine-tuned with autograd, and writes the trained weights back into the same graph.

Every float initializer that is a weight (consumed by Conv / MatMul / Gemm, named after a PyTorch module
(``model.*``), or an exported bias ``onnx::Add_*``) becomes an ``nn.Parameter``; everything else (anchors, masks,
scalar constants, integer shape constants) is a buffer. Only the ops of the DEIMv2 graphs are implemented (the
list in ``OPS``); an unknown op stops with its name.

    g = OnnxGraphModule(onnx.load("deimv2_hgnetv2_atto_coco_raw.onnx"))
    out = g(images)                                   # {"pred_logits": ..., "pred_boxes": ...}
    out = g(images, extra=["/model/decoder/enc_score_head/Add_output_0"])
    proto = g.to_onnx()                               # the original graph with the current weights
"""

import copy

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper

INT64_MAX = 2 ** 62


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _ints(t):
    return [int(v) for v in t.reshape(-1).tolist()]


def _pool_pads(x, pads, value):
    """ONNX pads [b1, b2, e1, e2] (2-D) -> explicit F.pad when asymmetric; returns (x, symmetric pads)."""
    n = len(pads) // 2
    begin, end = pads[:n], pads[n:]
    if begin == end:
        return x, begin
    flat = []
    for i in reversed(range(n)):
        flat += [begin[i], end[i]]
    return F.pad(x, flat, value=value), [0] * n


def _conv(x, w, b=None, **a):
    pads = list(a.get("pads", [0, 0, 0, 0]))
    x, p = _pool_pads(x, pads, 0.0)
    return F.conv2d(x, w, b, stride=a.get("strides", [1, 1]), padding=p, dilation=a.get("dilations", [1, 1]),
                    groups=a.get("group", 1))


def _avgpool(x, **a):
    x, p = _pool_pads(x, list(a.get("pads", [0, 0, 0, 0])), 0.0)
    return F.avg_pool2d(x, a["kernel_shape"], a.get("strides", [1, 1]), p, ceil_mode=bool(a.get("ceil_mode", 0)),
                        count_include_pad=bool(a.get("count_include_pad", 0)))


def _maxpool(x, **a):
    x, p = _pool_pads(x, list(a.get("pads", [0, 0, 0, 0])), float("-inf"))
    return F.max_pool2d(x, a["kernel_shape"], a.get("strides", [1, 1]), p, dilation=a.get("dilations", [1, 1]),
                        ceil_mode=bool(a.get("ceil_mode", 0)))


def _div(a, b):
    if not a.dtype.is_floating_point and not b.dtype.is_floating_point:
        return torch.div(a, b, rounding_mode="trunc")
    return a / b


def _gather(data, idx, axis=0):
    axis = axis % data.dim()
    idx = torch.where(idx < 0, idx + data.shape[axis], idx)
    out = data.index_select(axis, idx.reshape(-1))
    return out.reshape(tuple(data.shape[:axis]) + tuple(idx.shape) + tuple(data.shape[axis + 1:]))


def _slice(x, starts, ends, axes=None, steps=None):
    starts, ends = _ints(starts), _ints(ends)
    axes = _ints(axes) if axes is not None else list(range(len(starts)))
    steps = _ints(steps) if steps is not None else [1] * len(starts)
    idx = [slice(None)] * x.dim()
    for s, e, ax, st in zip(starts, ends, axes, steps):
        if st != 1:
            raise NotImplementedError(f"Slice step {st}")
        n = x.shape[ax]
        s = max(0, min(n, s + n if s < 0 else s))
        e = max(0, min(n, e + n if e < 0 else e))
        idx[ax % x.dim()] = slice(s, e)
    return x[tuple(idx)]


def _reshape(x, shape, allowzero=0):
    shape = _ints(shape)
    if not allowzero:
        shape = [x.shape[i] if v == 0 else v for i, v in enumerate(shape)]
    return x.reshape(shape)


def _unsqueeze(x, axes):
    axes = sorted(a % (x.dim() + len(_ints(axes))) for a in _ints(axes))
    for a in axes:
        x = x.unsqueeze(a)
    return x


def _squeeze(x, axes=None):
    if axes is None:
        return x.squeeze()
    for a in sorted((a % x.dim() for a in _ints(axes)), reverse=True):
        x = x.squeeze(a)
    return x


def _pad(x, pads, value=None, mode="constant"):
    pads = _ints(pads)
    if mode not in ("constant", b"constant"):
        raise NotImplementedError(f"Pad mode {mode}")
    n = len(pads) // 2
    flat = []
    for i in reversed(range(n)):
        flat += [pads[i], pads[i + n]]
    while flat and flat[-1] == 0 and flat[-2] == 0:
        flat = flat[:-2]
    v = float(value.reshape(-1)[0]) if value is not None else 0.0
    return F.pad(x, flat, value=v) if flat else x


def _resize(x, roi=None, scales=None, sizes=None, **a):
    mode = a.get("mode", b"nearest")
    if mode != b"nearest" or a.get("coordinate_transformation_mode", b"half_pixel") != b"asymmetric" \
            or a.get("nearest_mode", b"round_prefer_floor") != b"floor":
        raise NotImplementedError(f"Resize {a}")
    if sizes is not None and sizes.numel():
        return F.interpolate(x, size=_ints(sizes)[2:], mode="nearest")
    sc = scales.reshape(-1).tolist()
    return F.interpolate(x, scale_factor=sc[2:], mode="nearest")


def _reduce(fn, x, axes, keepdims):
    axes = sorted(a % x.dim() for a in axes) if axes else list(range(x.dim()))
    if fn == "max":
        out = x
        for a in reversed(axes):
            out = out.amax(dim=a, keepdim=bool(keepdims))
        return out
    if fn == "mean":
        return x.mean(dim=axes, keepdim=bool(keepdims))
    return x.sum(dim=axes, keepdim=bool(keepdims))


def _split(x, split=None, axis=0, num_outputs=None):
    if split is not None:
        return list(torch.split(x, _ints(split), dim=axis))
    return list(torch.chunk(x, num_outputs, dim=axis))


def _topk(x, k, axis=-1, largest=1, sorted_=1):
    v, i = torch.topk(x, int(k.reshape(-1)[0]), dim=axis, largest=bool(largest), sorted=bool(sorted_))
    return [v, i]


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    a = a.t() if transA else a
    b = b.t() if transB else b
    y = alpha * (a @ b)
    return y + beta * c if c is not None else y


def _clip(x, lo=None, hi=None):
    return torch.clamp(x, min=None if lo is None else float(lo), max=None if hi is None else float(hi))


def _run(op, ins, a, n_out):
    """One ONNX node: inputs (None for an omitted optional input), attributes -> list of outputs."""
    if op == "Add":
        return [ins[0] + ins[1]]
    if op == "Sub":
        return [ins[0] - ins[1]]
    if op == "Mul":
        return [ins[0] * ins[1]]
    if op == "Div":
        return [_div(ins[0], ins[1])]
    if op == "Pow":
        e = ins[1]
        if e.numel() == 1 and float(e) == 2.0:
            return [ins[0] * ins[0]]
        return [torch.pow(ins[0], e)]
    if op == "Sqrt":
        return [torch.sqrt(ins[0])]
    if op == "Log":
        return [torch.log(ins[0])]
    if op == "Sigmoid":
        return [torch.sigmoid(ins[0])]
    if op == "Relu":
        return [F.relu(ins[0])]
    if op == "Softmax":
        return [torch.softmax(ins[0], dim=a.get("axis", -1))]
    if op == "Clip":
        return [_clip(ins[0], *(ins[1:] + [None] * (3 - len(ins)))[:2])]
    if op == "Conv":
        return [_conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, **a)]
    if op == "MatMul":
        return [torch.matmul(ins[0], ins[1])]
    if op == "Gemm":
        return [_gemm(*ins, **a)]
    if op == "AveragePool":
        return [_avgpool(ins[0], **a)]
    if op == "MaxPool":
        return [_maxpool(ins[0], **a)]
    if op == "GlobalAveragePool":
        return [ins[0].mean(dim=(2, 3), keepdim=True)]
    if op == "Concat":
        return [torch.cat(ins, dim=a["axis"])]
    if op == "Gather":
        return [_gather(ins[0], ins[1], a.get("axis", 0))]
    if op == "GatherElements":
        return [torch.gather(ins[0], a.get("axis", 0) % ins[0].dim(), ins[1])]
    if op == "Identity":
        return [ins[0]]
    if op == "Pad":
        return [_pad(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("mode", b"constant"))]
    if op == "ReduceMax":
        return [_reduce("max", ins[0], a.get("axes"), a.get("keepdims", 1))]
    if op == "ReduceMean":
        return [_reduce("mean", ins[0], a.get("axes"), a.get("keepdims", 1))]
    if op == "ReduceSum":
        axes = _ints(ins[1]) if len(ins) > 1 and ins[1] is not None else None
        return [_reduce("sum", ins[0], axes, a.get("keepdims", 1))]
    if op == "Reshape":
        return [_reshape(ins[0], ins[1], a.get("allowzero", 0))]
    if op == "Resize":
        return [_resize(*(ins + [None] * (4 - len(ins))), **a)]
    if op == "Shape":
        return [torch.tensor(list(ins[0].shape), dtype=torch.int64)]
    if op == "Slice":
        return [_slice(*ins)]
    if op == "Split":
        return _split(ins[0], ins[1] if len(ins) > 1 else None, a.get("axis", 0), n_out)
    if op == "Squeeze":
        return [_squeeze(ins[0], ins[1] if len(ins) > 1 else None)]
    if op == "Unsqueeze":
        return [_unsqueeze(ins[0], ins[1])]
    if op == "Tile":
        return [ins[0].repeat(*_ints(ins[1]))]
    if op == "TopK":
        return _topk(ins[0], ins[1], a.get("axis", -1), a.get("largest", 1), a.get("sorted", 1))
    if op == "Transpose":
        return [ins[0].permute(*a["perm"])]
    if op == "GridSample":
        mode = a.get("mode", b"bilinear").decode()
        pad = a.get("padding_mode", b"zeros").decode()
        return [F.grid_sample(ins[0], ins[1], mode=mode, padding_mode=pad, align_corners=bool(a.get("align_corners", 0)))]
    raise NotImplementedError(f"ONNX op {op} is not implemented by onnx_torch")


OPS = ["Add", "AveragePool", "Clip", "Concat", "Conv", "Div", "Gather", "GatherElements", "Gemm",
       "GlobalAveragePool", "GridSample", "Identity", "Log", "MatMul", "MaxPool", "Mul", "Pad", "Pow", "ReduceMax",
       "ReduceMean", "ReduceSum", "Relu", "Reshape", "Resize", "Shape", "Sigmoid", "Slice", "Softmax", "Split",
       "Sqrt", "Squeeze", "Sub", "Tile", "TopK", "Transpose", "Unsqueeze"]


def is_weight(name, array, consumers):
    """Whether a float initializer is trained (see module docstring)."""
    if array.dtype.kind != "f" or array.size <= 1:
        return False
    if name.startswith("model."):
        return True
    if any(op in ("Conv", "MatMul", "Gemm") for op, _ in consumers):
        return True
    return name.startswith("onnx::Add_") and all(op == "Add" for op, _ in consumers)


class OnnxGraphModule(torch.nn.Module):
    """Runs an ONNX graph with torch ops; weights are parameters (see module docstring)."""

    def __init__(self, model_proto):
        super().__init__()
        self.proto = copy.deepcopy(model_proto)
        g = self.proto.graph
        unknown = sorted({n.op_type for n in g.node} - set(OPS))
        if unknown:
            raise NotImplementedError(f"ONNX ops not implemented by onnx_torch: {unknown}")
        consumers = {}
        for n in g.node:
            for j, i in enumerate(n.input):
                consumers.setdefault(i, []).append((n.op_type, j))
        self.params = torch.nn.ParameterDict()
        self.key_of = {}  # initializer name -> ParameterDict key or buffer name
        self.consts = {}
        for k, t in enumerate(g.initializer):
            arr = numpy_helper.to_array(t).copy()
            if is_weight(t.name, arr, consumers.get(t.name, [])):
                key = f"w{k}"
                self.params[key] = torch.nn.Parameter(torch.from_numpy(arr))
                self.key_of[t.name] = key
            else:
                self.consts[t.name] = torch.from_numpy(arr)
        self.nodes = [(n.op_type, list(n.input), list(n.output), _attrs(n)) for n in g.node]
        self.node_names = [n.name for n in g.node]
        first_use = {}
        for n in g.node:
            for i in n.input:
                first_use.setdefault(i, n.name)
        # initializer name -> the name of the first node that reads it (e.g. /model/backbone/stem/stem1/conv/Conv)
        self.node_of = {name: first_use.get(name, "") for name in self.key_of}
        self.input_name = g.input[0].name
        self.output_names = [o.name for o in g.output]

    def freeze(self, prefixes):
        """Stops training the weights read by nodes whose name starts with one of `prefixes`; returns how many
        weights (elements) were frozen."""
        frozen = 0
        for name, key in self.key_of.items():
            if any(self.node_of[name].startswith(p) for p in prefixes):
                self.params[key].requires_grad_(False)
                frozen += self.params[key].numel()
        return frozen

    def tensor(self, name):
        """The current value of an initializer (parameter or constant)."""
        if name in self.key_of:
            return self.params[self.key_of[name]]
        return self.consts[name]

    def replace(self, name, value, trainable=True):
        """Replaces an initializer's value (its shape may change, e.g. a new class head)."""
        value = torch.as_tensor(value, dtype=torch.float32).clone()
        if name in self.key_of:
            self.params[self.key_of[name]] = torch.nn.Parameter(value, requires_grad=trainable)
        else:
            self.consts[name] = value

    def _env(self):
        env = dict(self.consts)
        for name, key in self.key_of.items():
            env[name] = self.params[key]
        return env

    def _execute(self, env, select):
        for name, (op, ins, outs, a) in zip(self.node_names, self.nodes):
            if select(name):
                vals = _run(op, [env[i] if i else None for i in ins], a, len(outs))
                for o, v in zip(outs, vals):
                    env[o] = v
        return env

    def forward(self, images, extra=()):
        env = self._env()
        env[self.input_name] = images
        self._execute(env, lambda name: True)
        return {k: env[k] for k in list(self.output_names) + list(extra)}

    def cut_tensors(self, prefix):
        """Tensors produced by nodes named `prefix`* and read by the other nodes (e.g. the backbone's output)."""
        made = {o for name, (_, _, outs, _) in zip(self.node_names, self.nodes) if name.startswith(prefix)
                for o in outs}
        cut = []
        for name, (_, ins, _, _) in zip(self.node_names, self.nodes):
            if not name.startswith(prefix):
                cut += [i for i in ins if i in made and i not in cut]
        return cut

    def forward_part(self, prefix, images):
        """Runs only the nodes named `prefix`*: -> {cut tensor name: value} (see cut_tensors)."""
        env = self._env()
        env[self.input_name] = images
        self._execute(env, lambda name: name.startswith(prefix))
        return {k: env[k] for k in self.cut_tensors(prefix)}

    def forward_rest(self, prefix, cut, extra=()):
        """Runs the nodes not named `prefix`*, given the cut tensors (forward_part's output)."""
        env = self._env()
        env.update(cut)
        self._execute(env, lambda name: not name.startswith(prefix))
        return {k: env[k] for k in list(self.output_names) + list(extra)}

    def to_onnx(self, clear_value_info=True):
        """The original graph with the current weights (and constants) written back; value_info is dropped so
        that replaced shapes (a new class head) are re-inferred by the runtime."""
        m = copy.deepcopy(self.proto)
        g = m.graph
        new = []
        for t in g.initializer:
            arr = self.tensor(t.name).detach().cpu().numpy()
            arr = np.array(arr, dtype=numpy_helper.to_array(t).dtype, order="C")  # keeps 0-d scalars 0-d
            new.append(numpy_helper.from_array(arr, t.name))
        del g.initializer[:]
        g.initializer.extend(new)
        if clear_value_info:
            del g.value_info[:]
        return m


def load(path):
    return OnnxGraphModule(onnx.load(path))
