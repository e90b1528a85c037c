#!/usr/bin/env python3
"""PyTorch reference modules for moelab, loading the weights moelab exports.

Plain PyTorch (1.13 or newer), no other dependency. The modules compute what moelab's Java
blocks compute, with the same parameter names as moelab's export (moelab.interop.TorchNames):

    MoeLayer        gate (nn.Linear(d, E, bias=False)), top-k routing with capacity served
                    slot-major in batch order or by top gate value (ties to the lower expert
                    index / earlier item), dispatch into (E, C, d) buffers, batched experts
                    GELU(x W1 + b1) W2 + b2 (exact erf GELU), weighted combine
    FeedForward     the dense MLP GELU(x w1 + b1) w2 + b2 (w1: (d, h), as moelab, not nn.Linear)
    MixerBlock      x + TokenMixing(LN(x)), x + ChannelMixing(LN(x)); LayerNorm eps 1e-5
    SparseMlpBlock  re-representation (S, C) -> (2S, C/2), MoE_s, MoE_c, re-representation back
    MlpMixer        patch embedding, blocks, LayerNorm, mean over patches, head (mixer-*, and
                    sparse-mlp-* when the config has sparse blocks)
    Gmlp            gMLP language model (gmlp-lm-*): causal spatial gating units; with sparse
                    blocks the sMLP model (smlp-lm-*): sMoE over hidden-dimension chunks, tMoE
                    with BASE routing as at evaluation (best expert, weight sigmoid(logit))

Evaluation only matches moelab exactly: training-time gate noise, BASE's balanced assignment in
training and the auxiliary losses are not implemented here.

Usage:
    python3 moelab_torch.py describe WEIGHTS.safetensors
    python3 moelab_torch.py selftest      (the DeepSpeed-MoE and Tutel weight mappings)
    python3 moelab_torch.py check --weights W.safetensors --inputs IN.safetensors --out OUT.safetensors
        IN holds "x" (the input) and "dy" (a fixed upstream gradient of the output); OUT gets
        "y" (the output) and "grad/<name>" for every parameter: the gradient of sum(y * dy).

From Python:
    model, metadata = load_moelab("model.safetensors")   # built from its moelab.model metadata
    deepspeed_moe_state(model.blocks[2].moe_c, ep_rank, ep_size)   # DeepSpeed-MoE names
    tutel_moe_state(model.blocks[2].moe_c, rank, world_size)       # Tutel names
"""

import argparse
import json
import math
import os
import struct
import sys
import tempfile

import torch
import torch.nn.functional as F
from torch import nn

# ---------------------------------------------------------------------------------------------
# safetensors: 8-byte little-endian header length, JSON header, raw little-endian data

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
    "U8": torch.uint8, "BOOL": torch.bool,
}
CODES = {dtype: code for code, dtype in DTYPES.items()}


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) of a safetensors file, checking its layout."""
    if sys.byteorder != "little":
        raise RuntimeError("this reader needs a little-endian machine")
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: {len(blob)} bytes, shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise ValueError(f"{path}: header length {n} goes beyond the file ({len(blob)} bytes)")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    data = blob[8 + n:]
    tensors, end = {}, 0
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = entry["data_offsets"]
        dtype, shape = DTYPES[entry["dtype"]], list(entry["shape"])
        size = math.prod(shape) * torch.empty((), dtype=dtype).element_size()
        if begin != end or stop - begin != size or stop > len(data):
            raise ValueError(f"{path}: tensor {name} has data_offsets {entry['data_offsets']},"
                             f" expected [{end}, {end + size}] within {len(data)} data bytes")
        chunk = bytearray(data[begin:stop])
        flat = torch.frombuffer(chunk, dtype=dtype) if size else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(shape)
        end = stop
    if end != len(data):
        raise ValueError(f"{path}: {len(data) - end} bytes after the last tensor")
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} atomically (temporary file, then rename)."""
    header, offset, chunks = {}, 0, []
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        raw = t.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() \
            if t.numel() else b""
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# ---------------------------------------------------------------------------------------------
# layers

class FeedForward(nn.Module):
    """GELU(x w1 + b1) w2 + b2 along the last axis; w1: (d, h), b1: (h), w2: (h, d), b2: (d)."""

    def __init__(self, d, h):
        super().__init__()
        self.w1 = nn.Parameter(torch.empty(d, h).normal_(0, d ** -0.5))
        self.b1 = nn.Parameter(torch.zeros(h))
        self.w2 = nn.Parameter(torch.empty(h, d).normal_(0, h ** -0.5))
        self.b2 = nn.Parameter(torch.zeros(d))

    def forward(self, x):                                   # (..., d)
        return F.gelu(x @ self.w1 + self.b1) @ self.w2 + self.b2


class Experts(nn.Module):
    """E expert MLPs as batched weights: w1 (E, d, h), b1 (E, h), w2 (E, h, d), b2 (E, d)."""

    def __init__(self, num_experts, d, h):
        super().__init__()
        self.w1 = nn.Parameter(torch.empty(num_experts, d, h).normal_(0, d ** -0.5))
        self.b1 = nn.Parameter(torch.zeros(num_experts, h))
        self.w2 = nn.Parameter(torch.empty(num_experts, h, d).normal_(0, h ** -0.5))
        self.b2 = nn.Parameter(torch.zeros(num_experts, d))

    def forward(self, buffers):                             # (E, C, d)
        hidden = F.gelu(torch.bmm(buffers, self.w1) + self.b1[:, None, :])      # (E, C, h)
        return torch.bmm(hidden, self.w2) + self.b2[:, None, :]                  # (E, C, d)


def capacity_of(k, items, capacity_factor, experts):
    """ceil(k T cf / E) clamped to [1, T]; cf <= 0: no dropping (T rows)."""
    if capacity_factor <= 0:
        return max(items, 1)
    return max(1, min(math.ceil(k * items * capacity_factor / experts), items))


class MoeLayer(nn.Module):
    """moelab.moe.MoeLayer with a top-k router (Switch, GShard, batch-priority), no noise.

    route: probs = softmax(x W_g); each item's k best experts (ties to the lower index);
    seats given slot-major (all first choices, then all second), items in batch order or by
    their top probability (highest first, ties to the earlier item); a full expert drops.
    Combine weight: the expert's probability (divided by the sum over the k when normalize),
    zero where dropped.
    """

    def __init__(self, num_experts, model_dim, hidden_dim, k=1, capacity_factor=1.25,
                 normalize=False, priority="BATCH_ORDER", sigmoid_weights=False):
        super().__init__()
        if not 1 <= k <= num_experts:
            raise ValueError(f"top-{k} routing over {num_experts} experts: use 1 <= k <= E")
        self.num_experts, self.model_dim, self.k = num_experts, model_dim, k
        self.capacity_factor, self.normalize, self.priority = capacity_factor, normalize, priority
        self.sigmoid_weights = sigmoid_weights      # BASE layers: weight sigmoid(logit)
        self.gate = nn.Linear(model_dim, num_experts, bias=False)
        self.experts = Experts(num_experts, model_dim, hidden_dim)
        self.last_routing = None

    def route(self, probs):
        """(choice (T, k), position (T, k) with -1 where dropped, capacity C)."""
        items, experts = probs.shape
        choice = torch.sort(probs, dim=1, descending=True, stable=True).indices[:, :self.k]
        if self.priority == "TOP_GATE":
            order = torch.sort(probs.max(dim=1).values, descending=True, stable=True).indices
        else:
            order = torch.arange(items)
        capacity = capacity_of(self.k, items, self.capacity_factor, experts)
        position = torch.full_like(choice, -1)
        filled = torch.zeros(experts, dtype=torch.long)
        for s in range(self.k):
            chosen = choice[order, s]                                        # (T,) serve order
            onehot = F.one_hot(chosen, experts)                              # (T, E)
            rank = (onehot.cumsum(0) - 1).gather(1, chosen[:, None])[:, 0] + filled[chosen]
            position[order, s] = torch.where(rank < capacity, rank, torch.full_like(rank, -1))
            filled = torch.clamp(filled + onehot.sum(0), max=capacity)
        return choice, position, capacity

    def forward(self, x):                                   # (..., d)
        shape = x.shape
        items = x.reshape(-1, self.model_dim)                                    # (T, d)
        logits = self.gate(items)                                                # (T, E)
        probs = torch.softmax(logits, dim=1)
        with torch.no_grad():
            choice, position, capacity = self.route(probs)
        kept = position >= 0
        scores = torch.sigmoid(logits) if self.sigmoid_weights else probs
        weights = scores.gather(1, choice)                                       # (T, k)
        if self.normalize:
            weights = weights / weights.sum(dim=1, keepdim=True)
        weights = weights * kept.to(weights.dtype)
        t, e_c = items.shape[0], self.num_experts * capacity
        slot = torch.where(kept, choice * capacity + position, torch.full_like(choice, e_c))
        source = torch.full((e_c + 1,), t, dtype=torch.long)                     # zero row: t
        source[slot.reshape(-1)] = torch.arange(t).repeat_interleave(self.k)
        padded = torch.cat([items, items.new_zeros(1, self.model_dim)])
        buffers = padded[source[:e_c]].reshape(self.num_experts, capacity, self.model_dim)
        outputs = self.experts(buffers)                                          # (E, C, d)
        flat = torch.cat([outputs.reshape(e_c, self.model_dim),
                          outputs.new_zeros(1, self.model_dim)])
        combined = (flat[slot] * weights[:, :, None]).sum(dim=1)                 # (T, d)
        self.last_routing = (choice, position, capacity)
        return combined.reshape(shape)


# ---------------------------------------------------------------------------------------------
# Mixer and Sparse-MLP

def token_mix(layer, x):
    """Applies layer along the patch axis: (B, S, C) -> (B, C, S) -> layer -> (B, S, C)."""
    return layer(x.transpose(1, 2)).transpose(1, 2)


class MixerBlock(nn.Module):
    def __init__(self, patches, channels, token_hidden, channel_hidden):
        super().__init__()
        self.token_norm = nn.LayerNorm(channels, eps=1e-5)
        self.token_mixing = FeedForward(patches, token_hidden)
        self.channel_norm = nn.LayerNorm(channels, eps=1e-5)
        self.channel_mixing = FeedForward(channels, channel_hidden)

    def forward(self, x):                                   # (B, S, C)
        x = x + token_mix(self.token_mixing, self.token_norm(x))
        return x + self.channel_mixing(self.channel_norm(x))


class ReRepresentation(nn.Module):
    """(B, S, C) -> (B, S', C'): channels C -> C' first, then patches S -> S'."""

    def __init__(self, patches_in, channels_in, patches_out, channels_out):
        super().__init__()
        self.channel_projection = nn.Linear(channels_in, channels_out)
        self.patch_projection = nn.Linear(patches_in, patches_out)

    def forward(self, x):
        return token_mix(self.patch_projection, self.channel_projection(x))


def moe_layer(config, experts, d, h):
    """An MoE layer with the config's router (RouterKind in moelab.models)."""
    router = config["router"]
    if router == "BATCH_PRIORITY":
        k, normalize, priority = config["top_k"], False, "TOP_GATE"
    elif router == "SWITCH":
        k, normalize, priority = 1, False, "BATCH_ORDER"
    elif router == "GSHARD":
        k, normalize, priority = 2, True, "BATCH_ORDER"
    elif router == "BASE":          # evaluation: best expert, no dropping, weight sigmoid(logit)
        return MoeLayer(experts, d, h, 1, 0, False, "BATCH_ORDER", sigmoid_weights=True)
    else:
        raise ValueError(f"router {router} has no PyTorch reference here")
    return MoeLayer(experts, d, h, k, config["capacity_factor"], normalize, priority)


class SparseMlpBlock(nn.Module):
    """moelab.models.SparseMlpBlock: z = RR1(LN(x)); z += MoE_s(z); then MoE_c inside or after."""

    def __init__(self, c):
        super().__init__()
        s, ch = c["patches"], c["width"]
        self.re_represent = c["re_representation"]
        self.inside = self.re_represent and c["channel_moe_inside"]
        s2, c2 = (2 * s, ch // 2) if self.re_represent else (s, ch)
        width = c2 if self.inside else ch
        self.token_norm = nn.LayerNorm(ch, eps=1e-5)
        if self.re_represent:
            self.re_representation1 = ReRepresentation(s, ch, s2, c2)
            self.re_representation2 = ReRepresentation(s2, c2, s, ch)
        self.token_experts = c["token_mixing_experts"]
        if self.token_experts:
            self.moe_s = moe_layer(c, self.token_experts, s2, c["token_mixing_hidden"])
        else:
            self.token_mixing = FeedForward(s2, c["token_mixing_hidden"])
        self.channel_norm = nn.LayerNorm(width, eps=1e-5)
        self.channel_experts = c["channel_mixing_experts"]
        if self.channel_experts:
            self.moe_c = moe_layer(c, self.channel_experts, width, c["channel_mixing_hidden"])
        else:
            self.channel_mixing = FeedForward(width, c["channel_mixing_hidden"])

    def token_layer(self):
        return self.moe_s if self.token_experts else self.token_mixing

    def channel_layer(self):
        return self.moe_c if self.channel_experts else self.channel_mixing

    def forward(self, x):                                   # (B, S, C)
        if not self.re_represent:
            x = x + token_mix(self.token_layer(), self.token_norm(x))
            return x + self.channel_layer()(self.channel_norm(x))
        z = self.re_representation1(self.token_norm(x))                          # (B, 2S, C/2)
        z = z + token_mix(self.token_layer(), z)
        if self.inside:
            z = z + self.channel_layer()(self.channel_norm(z))
            return x + self.re_representation2(z)
        x = x + self.re_representation2(z)                                       # (B, S, C)
        return x + self.channel_layer()(self.channel_norm(x))


class PatchEmbedding(nn.Module):
    """P x P patches, flattened as (channel, row, column), projected to C channels."""

    def __init__(self, image_channels, patch_size, channels):
        super().__init__()
        self.image_channels, self.patch_size = image_channels, patch_size
        self.projection = nn.Linear(image_channels * patch_size ** 2, channels)

    def forward(self, images):                              # (B, ch, H, W)
        b, ch, height, width = images.shape
        p = self.patch_size
        patches = images.reshape(b, ch, height // p, p, width // p, p) \
            .permute(0, 2, 4, 1, 3, 5).reshape(b, (height // p) * (width // p), ch * p * p)
        return self.projection(patches)                      # (B, S, C)


class MlpMixer(nn.Module):
    """moelab.models.MlpMixer / SparseMlp: its last num_sparse_blocks blocks are sparse."""

    def __init__(self, config):
        super().__init__()
        c = dict(config)
        c["patches"] = (c["image_size"] // c["patch_size"]) ** 2
        self.config = c
        self.patch_embedding = PatchEmbedding(c["image_channels"], c["patch_size"], c["width"])
        first_sparse = c["num_blocks"] - c["num_sparse_blocks"]
        self.blocks = nn.ModuleList(
            SparseMlpBlock(c) if i >= first_sparse else
            MixerBlock(c["patches"], c["width"], c["token_mixing_hidden"],
                       c["channel_mixing_hidden"])
            for i in range(c["num_blocks"]))
        self.norm = nn.LayerNorm(c["width"], eps=1e-5)
        self.head = nn.Linear(c["width"], c["num_classes"])

    def forward(self, images):
        c = self.config
        images = images.reshape(images.shape[0], c["image_channels"], c["image_size"],
                                c["image_size"])
        x = self.patch_embedding(images)
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x).mean(dim=1))           # (B, classes)


# ---------------------------------------------------------------------------------------------
# gMLP and sMLP language models

class SpatialProjection(nn.Module):
    """W Z + b along the sequence for H heads: weight (H, L, L), bias (H, L, 1), causal mask."""

    def __init__(self, heads, max_length, bias_init):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(heads, max_length, max_length).uniform_(-1e-3, 1e-3))
        self.bias = nn.Parameter(torch.full((heads, max_length, 1), float(bias_init)))

    def forward(self, z):                                   # (H, N, T, c)
        t = z.shape[2]
        w = self.weight[:, :t, :t] * torch.ones(t, t).tril()                    # (H, T, T)
        return w[:, None] @ z + self.bias[:, None, :t]


class SpatialGatingUnit(nn.Module):
    """u * (W LN(v) + b) with (u, v) the two halves of the channels; (B, T, 2f) -> (B, T, f)."""

    def __init__(self, gate_dim, max_length):
        super().__init__()
        self.gate_dim = gate_dim
        self.norm = nn.LayerNorm(gate_dim, eps=1e-5)
        self.spatial = SpatialProjection(1, max_length, 1.0)

    def forward(self, z):
        u, v = z[..., :self.gate_dim], self.norm(z[..., self.gate_dim:])
        return u * self.spatial(v[None])[0]


class GmlpBlock(nn.Module):
    """x + W_out SGU(GELU(W_in LN(x)))."""

    def __init__(self, d, ffn, max_length):
        super().__init__()
        self.norm = nn.LayerNorm(d, eps=1e-5)
        self.projection_in = nn.Linear(d, 2 * ffn)
        self.gating = SpatialGatingUnit(ffn, max_length)
        self.projection_out = nn.Linear(ffn, d)

    def forward(self, x):
        return x + self.projection_out(self.gating(F.gelu(self.projection_in(self.norm(x)))))


class SpatialMoe(nn.Module):
    """sMoE: the d channels in E chunks, chunk i mixed along the sequence by expert i (causal)."""

    def __init__(self, num_experts, d, max_length):
        super().__init__()
        self.num_experts = num_experts
        self.experts = SpatialProjection(num_experts, max_length, 0.0)

    def forward(self, x):                                   # (B, T, d)
        b, t, d = x.shape
        chunks = x.reshape(b, t, self.num_experts, -1).permute(2, 0, 1, 3)        # (E, B, T, c)
        return self.experts(chunks).permute(1, 2, 0, 3).reshape(b, t, d)


class SparseAllMlpBlock(nn.Module):
    """x + sMoE(LN(x)), then x + tMoE(LN(x)) (a dense FeedForward when there are no experts)."""

    def __init__(self, c):
        super().__init__()
        d, length = c["width"], c["context_length"]
        self.spatial_norm = nn.LayerNorm(d, eps=1e-5)
        self.s_moe = SpatialMoe(c["token_mixing_experts"], d, length)
        self.feature_norm = nn.LayerNorm(d, eps=1e-5)
        experts = c["channel_mixing_experts"]
        self.t_moe = moe_layer(c, experts, d, c["channel_mixing_hidden"]) if experts \
            else FeedForward(d, c["channel_mixing_hidden"])

    def forward(self, x):
        x = x + self.s_moe(self.spatial_norm(x))
        return x + self.t_moe(self.feature_norm(x))


class Gmlp(nn.Module):
    """gMLP / sMLP causal LM: token embedding, blocks, LayerNorm, tied or own output layer."""

    def __init__(self, config):
        super().__init__()
        c = config
        d, length = c["width"], c["context_length"]
        self.token_embedding = nn.Embedding(c["vocab_size"], d)
        first_sparse = c["num_blocks"] - c["num_sparse_blocks"]
        self.blocks = nn.ModuleList(
            SparseAllMlpBlock(c) if i >= first_sparse else
            GmlpBlock(d, c["channel_mixing_hidden"], length) for i in range(c["num_blocks"]))
        self.norm = nn.LayerNorm(d, eps=1e-5)
        self.head = None if c["tied_embeddings"] else nn.Linear(d, c["vocab_size"], bias=False)

    def forward(self, ids):                                 # (B, T) token ids
        x = self.token_embedding(ids.long())
        for block in self.blocks:
            x = block(x)
        x = self.norm(x)
        return x @ self.token_embedding.weight.t() if self.head is None else self.head(x)


# ---------------------------------------------------------------------------------------------
# building and loading

def build(metadata):
    """The module a moelab export's metadata describes (moelab.model or moelab.layer)."""
    if "moelab.layer" in metadata:
        c = json.loads(metadata["moelab.layer"])
        return MoeLayer(c["num_experts"], c["model_dim"], c["hidden_dim"], c["k"],
                        c["capacity_factor"], c["normalize"], c["priority"])
    if "moelab.model" in metadata:
        c = json.loads(metadata["moelab.model"])
        if c["family"] in ("MIXER", "SPARSE_MLP"):
            return MlpMixer(c)
        if c["family"] in ("GMLP", "SMLP"):
            return Gmlp(c)
        raise ValueError(f"family {c['family']} has no PyTorch reference here yet")
    raise ValueError("no moelab.model or moelab.layer entry in the file's metadata")


def load_state(module, tensors):
    """Copies tensors into module's parameters; refuses missing, extra or misshaped ones."""
    expected = dict(module.named_parameters())
    problems = [f"missing tensor '{n}' (expected {list(p.shape)})"
                for n, p in expected.items() if n not in tensors]
    problems += [f"tensor '{n}' has shape {list(t.shape)}, expected {list(expected[n].shape)}"
                 for n, t in tensors.items() if n in expected and t.shape != expected[n].shape]
    problems += [f"unexpected tensor '{n}' {list(t.shape)}" for n, t in tensors.items()
                 if n not in expected]
    if problems:
        raise ValueError("the weights do not fit the module:\n  " + "\n  ".join(problems))
    with torch.no_grad():
        for name, parameter in expected.items():
            parameter.copy_(tensors[name])


def load_moelab(path):
    """(module in eval mode, metadata) from a moelab safetensors export."""
    tensors, metadata = read_safetensors(path)
    module = build(metadata)
    load_state(module, tensors)
    return module.eval(), metadata


def check(weights, inputs, out):
    """Writes y = module(x) and the gradients of sum(y * dy) for every parameter."""
    module, _ = load_moelab(weights)
    given, _ = read_safetensors(inputs)
    y = module(given["x"])
    (y * given["dy"]).sum().backward()
    result = {"y": y.detach()}
    for name, parameter in module.named_parameters():
        result["grad/" + name] = parameter.grad if parameter.grad is not None \
            else torch.zeros_like(parameter)
    write_safetensors(out, result, {"torch": torch.__version__})


# ---------------------------------------------------------------------------------------------
# expert-parallel engines: the same weights under DeepSpeed-MoE's and Tutel's parameter names

def deepspeed_moe_state(layer, ep_rank=0, ep_size=1, prefix="deepspeed_moe."):
    """state_dict entries of a deepspeed.moe.layer.MoE on expert-parallel rank ep_rank.

    Assumes MoE(hidden_size=d, expert=<module with fc1 = nn.Linear(d, h), fc2 = nn.Linear(h, d)
    and exact GELU between them>, num_experts=E, ep_size=ep_size, k=...). The rank holds global
    experts ep_rank * E/ep_size ... (ep_rank + 1) * E/ep_size - 1 as its local experts 0, 1, ...
    """
    local = layer.num_experts // ep_size
    state = {prefix + "gate.wg.weight": layer.gate.weight}
    for i in range(local):
        e, key = ep_rank * local + i, f"{prefix}experts.deepspeed_experts.{i}."
        state[key + "fc1.weight"] = layer.experts.w1[e].t()                        # (h, d)
        state[key + "fc1.bias"] = layer.experts.b1[e]
        state[key + "fc2.weight"] = layer.experts.w2[e].t()                        # (d, h)
        state[key + "fc2.bias"] = layer.experts.b2[e]
    return {k: v.detach().contiguous().clone() for k, v in state.items()}


def tutel_moe_state(layer, rank=0, world_size=1, prefix=""):
    """state_dict entries of a tutel.moe.moe_layer on rank `rank` of `world_size`.

    Assumes moe_layer(gate_type={"type": "top", "k": k}, model_dim=d, experts={"type": "ffn",
    "count_per_node": E // world_size, "hidden_size_per_expert": h, "activation_fn": F.gelu}).
    """
    local = layer.num_experts // world_size
    mine = slice(rank * local, (rank + 1) * local)
    state = {
        prefix + "gates.0.wg.weight": layer.gate.weight,                               # (E, d)
        prefix + "experts.batched_fc1_w": layer.experts.w1[mine].transpose(1, 2),   # (E', h, d)
        prefix + "experts.batched_fc1_bias": layer.experts.b1[mine],                 # (E', h)
        prefix + "experts.batched_fc2_w": layer.experts.w2[mine],                    # (E', h, d)
        prefix + "experts.batched_fc2_bias": layer.experts.b2[mine],                 # (E', d)
        prefix + "_num_global_experts": torch.tensor(layer.num_experts),
    }
    return {k: v.detach().contiguous().clone() for k, v in state.items()}


def selftest():
    """Checks that both mappings compute the same experts and gate as MoeLayer (split over 2)."""
    torch.manual_seed(0)
    layer = MoeLayer(4, 6, 8, k=2)
    with torch.no_grad():
        for p in layer.parameters():
            p.normal_()
    buffers = torch.randn(4, 5, 6)                                                  # (E, C, d)
    expected = layer.experts(buffers)
    for rank in range(2):
        ds = deepspeed_moe_state(layer, ep_rank=rank, ep_size=2)
        tu = tutel_moe_state(layer, rank=rank, world_size=2)
        for i in range(2):
            e, key = 2 * rank + i, f"deepspeed_moe.experts.deepspeed_experts.{i}."
            fc1, fc2 = nn.Linear(6, 8), nn.Linear(8, 6)
            fc1.load_state_dict({"weight": ds[key + "fc1.weight"], "bias": ds[key + "fc1.bias"]})
            fc2.load_state_dict({"weight": ds[key + "fc2.weight"], "bias": ds[key + "fc2.bias"]})
            assert torch.allclose(fc2(F.gelu(fc1(buffers[e]))), expected[e], atol=1e-5), "deepspeed"
        y = torch.matmul(buffers[2 * rank:2 * rank + 2], tu["experts.batched_fc1_w"].permute(0, 2, 1))
        y = F.gelu(y + tu["experts.batched_fc1_bias"].unsqueeze(1))
        y = torch.matmul(y, tu["experts.batched_fc2_w"]) + tu["experts.batched_fc2_bias"].unsqueeze(1)
        assert torch.allclose(y, expected[2 * rank:2 * rank + 2], atol=1e-5), "tutel"
        x = torch.randn(3, 6)
        assert torch.allclose(F.linear(x, ds["deepspeed_moe.gate.wg.weight"]), layer.gate(x))
        assert torch.allclose(F.linear(x, tu["gates.0.wg.weight"]), layer.gate(x))
    print("selftest passed: DeepSpeed-MoE and Tutel layouts compute moelab's experts and gate")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    describe = commands.add_parser("describe", help="list a file's tensors and metadata")
    describe.add_argument("weights")
    run = commands.add_parser("check", help="output and gradients for fixed inputs")
    run.add_argument("--weights", required=True)
    run.add_argument("--inputs", required=True)
    run.add_argument("--out", required=True)
    commands.add_parser("selftest", help="check the DeepSpeed-MoE and Tutel weight mappings")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    if args.command == "describe":
        tensors, metadata = read_safetensors(args.weights)
        for key, value in metadata.items():
            print(f"{key}: {value}")
        for name, t in tensors.items():
            print(f"{name} {CODES[t.dtype]} {list(t.shape)}")
    elif args.command == "selftest":
        selftest()
    else:
        check(args.weights, args.inputs, args.out)


if __name__ == "__main__":
    main()
