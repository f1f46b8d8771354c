"""Bad model and hardware files for the sweep: mutated specs, HF configs and profiles,
and files that are not JSON objects at all."""
import json
import os

from common import M, ROOT, TMP, run_cli, write

SPEC = {"format": "traincost.model.v1", "hidden_size": 4096, "num_layers": 32, "vocab_size": 50432,
        "tie_word_embeddings": True, "max_position_embeddings": 2048, "norm": "layernorm", "linear_bias": False,
        "attention": {"type": "mha", "num_heads": 32}, "ffn": {"activation": "gelu", "intermediate_size": 16384},
        "mtp_layers": 0}


def mut(base, path, value):
    d = json.loads(json.dumps(base))
    cur = d
    for p in path[:-1]:
        cur = cur[p]
    if value is DELETE:
        cur.pop(path[-1], None)
    else:
        cur[path[-1]] = value
    return d


DELETE = object()


def model_cases():
    cases = []
    for fld in ["hidden_size", "num_layers", "vocab_size"]:
        for v in [0, -1, 1.5, "8", None, 1e12, 2**63, 1e308, True, [], DELETE]:
            cases.append((f"spec {fld}={v if v is not DELETE else 'missing'}", mut(SPEC, [fld], v), fld))
    for v in [0, -1, 7, 5000, "32", DELETE, 1e12]:
        cases.append((f"spec num_heads={v if v is not DELETE else 'missing'}", mut(SPEC, ["attention", "num_heads"], v), "num_heads"))
    for v in [0, -1, DELETE, 1e12, 1.5]:
        cases.append((f"spec intermediate={v if v is not DELETE else 'missing'}", mut(SPEC, ["ffn", "intermediate_size"], v), "intermediate_size"))
    for v in ["zz", 5, None, DELETE]:
        n = "missing" if v is DELETE else v
        cases.append((f"spec attention.type={n}", mut(SPEC, ["attention", "type"], v), "type"))
        cases.append((f"spec ffn.activation={n}", mut(SPEC, ["ffn", "activation"], v), "activation"))
        cases.append((f"spec norm={n}", mut(SPEC, ["norm"], v), "norm"))
    for v in [-1, 1e9, "x"]:
        cases.append((f"spec mtp_layers={v}", mut(SPEC, ["mtp_layers"], v), "mtp_layers"))
        cases.append((f"spec max_pos={v}", mut(SPEC, ["max_position_embeddings"], v), "max_position_embeddings"))
    gqa = mut(SPEC, ["attention"], {"type": "gqa", "num_heads": 32, "num_kv_heads": 8})
    for v in [0, 3, 64, -1, DELETE]:
        cases.append((f"spec gqa kv={'missing' if v is DELETE else v}", mut(gqa, ["attention", "num_kv_heads"], v),
                      "num_kv_heads"))
    # MoE HF config (mixtral)
    mix = {"model_type": "mixtral", "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
           "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 32000, "num_local_experts": 8,
           "num_experts_per_tok": 2, "max_position_embeddings": 32768, "tie_word_embeddings": False}
    cases.append(("hf mixtral ok", mix, None))
    for fld, vals in [("num_local_experts", [0, 1, -1, 1e9]), ("num_experts_per_tok", [0, 9, -1, 8.5]),
                      ("num_attention_heads", [0, 7, 33]), ("num_key_value_heads", [0, 3, 64]),
                      ("hidden_size", [0, 4095, -4096, 1e12]), ("num_hidden_layers", [0, -1, 1e12, 10**15]),
                      ("vocab_size", [0, -1, 1e12]), ("intermediate_size", [0, -1]), ("head_dim", [0, -1, 7, 1e9]),
                      ("rope_theta", [-1]), ("max_position_embeddings", [0, -1])]:
        for v in vals + [DELETE]:
            if fld in ("head_dim", "rope_theta") and v is DELETE:
                continue
            named = "hidden size" if (fld, v) == ("hidden_size", 4095) else fld
            cases.append((f"hf mixtral {fld}={v if v is not DELETE else 'missing'}", mut(mix, [fld], v), named))
    llama = {k: v for k, v in mix.items() if k not in ("num_local_experts", "num_experts_per_tok")}
    llama["model_type"] = "llama"
    cases.append(("hf llama ok", llama, None))
    for fld in ["hidden_size", "num_hidden_layers", "vocab_size", "intermediate_size", "num_attention_heads"]:
        for v in [0, -3, "4096", 1e300, None]:
            cases.append((f"hf llama {fld}={v}", mut(llama, [fld], v), fld))
    for mt in ["zz", "", 5, None]:
        cases.append((f"hf model_type={mt}", mut(llama, ["model_type"], mt), "model_type"))
    # an MoE or MLA config under a dense family's model_type: its reader would drop the experts
    for mt in ["llama", "mistral", "qwen2", "qwen3", "phi3", "olmo2"]:
        for key, v in [("num_local_experts", 8), ("num_experts", 64), ("n_routed_experts", 64), ("kv_lora_rank", 512)]:
            cases.append((f"hf {mt} with {key}", mut(mut(llama, ["model_type"], mt), [key], v), key))
    # deepseek v3 style
    ds = {"model_type": "deepseek_v3", "hidden_size": 7168, "intermediate_size": 18432, "moe_intermediate_size": 2048,
          "num_hidden_layers": 61, "num_attention_heads": 128, "num_key_value_heads": 128, "vocab_size": 129280,
          "n_routed_experts": 256, "n_shared_experts": 1, "num_experts_per_tok": 8, "first_k_dense_replace": 3,
          "q_lora_rank": 1536, "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
          "v_head_dim": 128, "num_nextn_predict_layers": 1, "max_position_embeddings": 163840,
          "tie_word_embeddings": False, "moe_layer_freq": 1}
    cases.append(("hf deepseek ok", ds, None))
    for fld, vals in [("n_routed_experts", [0, -1, 7.5]), ("num_experts_per_tok", [0, 300]),
                      ("first_k_dense_replace", [-1, 62, 1000]), ("kv_lora_rank", [0, -1]), ("q_lora_rank", [-1]),
                      ("qk_rope_head_dim", [-1]), ("v_head_dim", [0]), ("moe_layer_freq", [0, -1]),
                      ("n_shared_experts", [-1]), ("num_nextn_predict_layers", [-1, 1000]),
                      ("moe_intermediate_size", [0, -1])]:
        for v in vals:
            cases.append((f"hf deepseek {fld}={v}", mut(ds, [fld], v), fld))
    return cases


def model_files():
    files = [("empty file", ""), ("not json", "hello"), ("array", "[1,2]"), ("null", "null"), ("number", "5"),
             ("string", '"x"'), ("truncated", '{"hidden_size": 4'), ("empty object", "{}"), ("nul byte", '{"a":1}\x00'),
             ("deep nesting", "[" * 100000 + "]" * 100000), ("bom", "\ufeff" + json.dumps(SPEC)),
             ("trailing garbage", json.dumps(SPEC) + " x"), ("dup keys", '{"hidden_size": 1, "hidden_size": 2}')]
    for name, text in files:
        p = write("m.json", text)
        run_cli(f"modelfile {name}", ["params", "--model", p], "m.json", bad="maybe" if name == "bom" else True)
    for name, body, field in model_cases():
        p = write("m.json", json.dumps(body))
        bad = True if field else False
        # some negative/odd optional values may be rejected or harmless
        run_cli(f"model {name}", ["params", "--model", p], field, bad=bad)
        if field is None or bad is True:
            run_cli(f"model-flops {name}", ["flops", "--model", p], field, bad=bad)
        if body.get("model_type") == "mixtral" and field in ("num_local_experts", "num_experts_per_tok"):
            pass
    # plan on a MoE whose experts the ep cannot divide
    p = write("mix.json", json.dumps(model_cases()[-0 if False else 0][1]))


def hardware_files():
    hw = json.load(open(os.path.join(ROOT, "hwprofiles", "h100-sxm.json")))
    def walk(d, path=()):
        for k, v in d.items():
            if isinstance(v, dict):
                yield from walk(v, path + (k,))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                yield path + (k,), v
    for path, v in list(walk(hw)):
        for bad in [0, -1, 1e308, "x", None]:
            d = mut(hw, list(path), bad)
            p = write("hw.json", json.dumps(d))
            run_cli(f"hwfile {'.'.join(path)}={bad}",
                    ["estimate", "--model", M, "--hardware", p, "--tokens", "1T", "--gpus", "64"], path[-1], bad="maybe")
            run_cli(f"hwfile show {'.'.join(path)}={bad}", ["hardware", "show", p], path[-1], bad="maybe")
    for name, text in [("empty", ""), ("array", "[]"), ("not json", "zz"), ("object", "{}")]:
        p = write("hw.json", text)
        run_cli(f"hwfile {name}", ["estimate", "--model", M, "--hardware", p, "--tokens", "1T", "--gpus", "64"], "hw.json")
