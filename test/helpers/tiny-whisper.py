#!/usr/bin/python3
"""Writes a tiny Whisper model in the layout transformers.js v4 loads, with random weights.

Usage: /usr/bin/python3 tiny-whisper.py OUT_DIR [--script TEXT] [--loop] [--no-speech] [--seed N]

The model is small (a few MB) and has Whisper's real interface: an encoder taking 80 x 3000
log-mel features and returning 1500 frames, and a merged decoder with a key/value cache
(past_key_values.N.{decoder,encoder}.{key,value}, use_cache_branch), a byte-level BPE vocabulary
with Whisper's special tokens and the 1501 timestamp tokens <|0.00|> .. <|30.00|>.

Random weights produce random tokens. `--script` adds a large bias keyed on the previous token, so
the decoder deterministically says a given line whatever the audio (exactly Whisper's failure mode
on silence): `<|t0|> text <|t1|>` pairs separated by `|`, e.g. "0.00> Why not?<1.00|1.20> Yes!<2.00".
Every token may appear once in a script (the bias is a bigram table). `--loop` makes the last text
token lead back to the first one, so the line repeats until the token limit. `--no-speech` makes
<|nocaptions|> the most likely first token (a high no-speech probability), decoding going on as usual.

Needs python3-onnx and python3-numpy (Debian). Tested with onnx 1.12, opset 14.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

D_MODEL = 64
HEADS = 2
HEAD_DIM = D_MODEL // HEADS
FFN = 128
ENC_LAYERS = 1
DEC_LAYERS = 2
N_MELS = 80
N_FRAMES = 3000
ENC_POSITIONS = 1500
DEC_POSITIONS = 448
OPSET = 14

# Vocabulary: 256 byte tokens, then Whisper's special tokens, then timestamps; <|notimestamps|>
# directly before <|0.00|> as in Whisper (timestamp_begin = notimestamps + 1).
SPECIALS = [
    '<|endoftext|>',
    '<|startoftranscript|>',
    '<|en|>',
    '<|translate|>',
    '<|transcribe|>',
    '<|startoflm|>',
    '<|startofprev|>',
    '<|nocaptions|>',
    '<|notimestamps|>',
]
EOT = 256
SOT = 257
PREV = 262
NO_SPEECH = 263
NO_TIMESTAMPS = 264
TIMESTAMP_BEGIN = 265
N_TIMESTAMPS = 1501
VOCAB = TIMESTAMP_BEGIN + N_TIMESTAMPS


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character map used by byte-level BPE."""
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


class Graph:
    """A little builder: named initializers and nodes with generated output names."""

    def __init__(self, rng):
        self.rng = rng
        self.nodes = []
        self.inits = []
        self.count = 0

    def name(self, prefix):
        self.count += 1
        return f'{prefix}_{self.count}'

    def const(self, array, prefix='c'):
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, *shape, scale=0.1):
        return self.const((self.rng.standard_normal(shape) * scale).astype(np.float32), 'w')

    def op(self, op_type, inputs, outputs=1, **attrs):
        names = [self.name(op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, names, **attrs))
        return names[0] if outputs == 1 else names

    def op_to(self, op_type, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op_type, inputs, [output], **attrs))
        return output

    def linear(self, x, n_in, n_out):
        return self.op('Add', [self.op('MatMul', [x, self.weight(n_in, n_out)]), self.weight(n_out, scale=0.02)])

    def layer_norm(self, x):
        mean = self.op('ReduceMean', [x], axes=[-1])
        centred = self.op('Sub', [x, mean])
        var = self.op('ReduceMean', [self.op('Mul', [centred, centred])], axes=[-1])
        std = self.op('Sqrt', [self.op('Add', [var, self.const(np.float32(1e-5))])])
        gain = self.const(np.ones(D_MODEL, np.float32))
        bias = self.const(np.zeros(D_MODEL, np.float32))
        return self.op('Add', [self.op('Mul', [self.op('Div', [centred, std]), gain]), bias])

    def gelu(self, x):
        erf = self.op('Erf', [self.op('Div', [x, self.const(np.float32(np.sqrt(2.0)))])])
        return self.op('Mul', [self.op('Mul', [x, self.const(np.float32(0.5))]), self.op('Add', [erf, self.const(np.float32(1.0))])])

    def heads(self, x):
        """[b, t, d] -> [b, h, t, hd]"""
        shaped = self.op('Reshape', [x, self.const(np.array([0, 0, HEADS, HEAD_DIM], np.int64))])
        return self.op('Transpose', [shaped], perm=[0, 2, 1, 3])

    def merge_heads(self, x):
        """[b, h, t, hd] -> [b, t, d]"""
        back = self.op('Transpose', [x], perm=[0, 2, 1, 3])
        return self.op('Reshape', [back, self.const(np.array([0, 0, D_MODEL], np.int64))])

    def attend(self, q, k, v, mask=None):
        kt = self.op('Transpose', [k], perm=[0, 1, 3, 2])
        scores = self.op('Mul', [self.op('MatMul', [q, kt]), self.const(np.float32(1.0 / np.sqrt(HEAD_DIM)))])
        if mask is not None:
            scores = self.op('Add', [scores, mask])
        return self.op('MatMul', [self.op('Softmax', [scores], axis=-1), v])

    def mlp(self, x):
        return self.linear(self.gelu(self.linear(x, D_MODEL, FFN)), FFN, D_MODEL)


def model_proto(g, inputs, outputs, name):
    graph = helper.make_graph(g.nodes, name, inputs, outputs, g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='tiny-whisper')
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def encoder(rng):
    g = Graph(rng)
    x = g.gelu(g.op('Conv', ['input_features', g.weight(D_MODEL, N_MELS, 3), g.weight(D_MODEL, scale=0.02)], pads=[1, 1]))
    x = g.gelu(g.op('Conv', [x, g.weight(D_MODEL, D_MODEL, 3), g.weight(D_MODEL, scale=0.02)], pads=[1, 1], strides=[2]))
    x = g.op('Add', [g.op('Transpose', [x], perm=[0, 2, 1]), g.weight(ENC_POSITIONS, D_MODEL, scale=0.02)])
    for _ in range(ENC_LAYERS):
        h = g.layer_norm(x)
        attn = g.attend(g.heads(g.linear(h, D_MODEL, D_MODEL)), g.heads(g.linear(h, D_MODEL, D_MODEL)), g.heads(g.linear(h, D_MODEL, D_MODEL)))
        x = g.op('Add', [x, g.linear(g.merge_heads(attn), D_MODEL, D_MODEL)])
        x = g.op('Add', [x, g.mlp(g.layer_norm(x))])
    g.op_to('Identity', [g.layer_norm(x)], 'last_hidden_state')
    inputs = [helper.make_tensor_value_info('input_features', TensorProto.FLOAT, ['batch_size', N_MELS, N_FRAMES])]
    outputs = [helper.make_tensor_value_info('last_hidden_state', TensorProto.FLOAT, ['batch_size', ENC_POSITIONS, D_MODEL])]
    return model_proto(g, inputs, outputs, 'encoder')


def script_table(script, loop, no_speech):
    """Bigram bias [VOCAB, VOCAB]: row = previous token, a large value at the token that must follow."""
    table = np.zeros((VOCAB, VOCAB), np.float32)
    if no_speech:
        # <|nocaptions|> right after <|startoftranscript|> outweighs the first timestamp: a high
        # no-speech probability, while the timestamp rules still make the decoder go on.
        table[SOT, NO_SPEECH] = 41.0
    if not script:
        return table if no_speech else None
    sequence = [SOT]
    text_tokens = []
    for part in script.split('|'):
        start, rest = part.split('>', 1)
        text, end = rest.rsplit('<', 1)
        encoded = list(text.encode('utf-8'))
        text_tokens.append(encoded)
        sequence += [TIMESTAMP_BEGIN + round(float(start) / 0.02)] + encoded + [TIMESTAMP_BEGIN + round(float(end) / 0.02)]
    if loop:
        # The last text token leads back to the first: the line repeats until the token limit.
        sequence = [SOT, sequence[1]] + text_tokens[0] + [text_tokens[0][0]]
    else:
        sequence.append(EOT)
    for prev, nxt in zip(sequence, sequence[1:]):
        if table[prev].any() and table[prev, nxt] == 0:
            raise SystemExit(f'script uses token {prev} twice with different successors; choose other characters')
        table[prev, nxt] = 40.0
    return table


def decoder(rng, script, loop, no_speech):
    g = Graph(rng)
    inputs = [
        helper.make_tensor_value_info('input_ids', TensorProto.INT64, ['batch_size', 'decoder_sequence_length']),
        helper.make_tensor_value_info('encoder_hidden_states', TensorProto.FLOAT, ['batch_size', 'encoder_sequence_length', D_MODEL]),
    ]
    outputs = [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['batch_size', 'decoder_sequence_length', VOCAB])]
    for i in range(DEC_LAYERS):
        for kind, length in (('decoder', 'past_decoder_sequence_length'), ('encoder', 'encoder_sequence_length_out')):
            for part in ('key', 'value'):
                # batch_size by that name and numeric heads/size: transformers.js builds the empty
                # first-step cache from this metadata.
                inputs.append(helper.make_tensor_value_info(f'past_key_values.{i}.{kind}.{part}', TensorProto.FLOAT, ['batch_size', HEADS, length, HEAD_DIM]))
                present_len = 'past_decoder_sequence_length + 1' if kind == 'decoder' else 'encoder_sequence_length_out'
                outputs.append(helper.make_tensor_value_info(f'present.{i}.{kind}.{part}', TensorProto.FLOAT, ['batch_size', HEADS, present_len, HEAD_DIM]))
    inputs.append(helper.make_tensor_value_info('use_cache_branch', TensorProto.BOOL, [1]))

    embedding = g.weight(VOCAB, D_MODEL, scale=0.5)
    x = g.op('Gather', [embedding, 'input_ids'], axis=0)
    # Positions continue after the cached ones.
    past_len = g.op('Gather', [g.op('Shape', ['past_key_values.0.decoder.key']), g.const(np.array(2, np.int64))], axis=0)
    seq_len = g.op('Gather', [g.op('Shape', ['input_ids']), g.const(np.array(1, np.int64))], axis=0)
    total = g.op('Add', [past_len, seq_len])
    positions = g.op('Range', [past_len, total, g.const(np.array(1, np.int64))])
    x = g.op('Add', [x, g.op('Gather', [g.weight(DEC_POSITIONS, D_MODEL, scale=0.02), positions], axis=0)])
    # Causal mask over [cached + new] keys.
    key_positions = g.op('Range', [g.const(np.array(0, np.int64)), total, g.const(np.array(1, np.int64))])
    future = g.op('Greater', [g.op('Unsqueeze', [key_positions, g.const(np.array([0], np.int64))]), g.op('Unsqueeze', [positions, g.const(np.array([1], np.int64))])])
    mask = g.op('Where', [future, g.const(np.float32(-1e9)), g.const(np.float32(0.0))])

    for i in range(DEC_LAYERS):
        h = g.layer_norm(x)
        k_new = g.heads(g.linear(h, D_MODEL, D_MODEL))
        v_new = g.heads(g.linear(h, D_MODEL, D_MODEL))
        k = g.op_to('Concat', [f'past_key_values.{i}.decoder.key', k_new], f'present.{i}.decoder.key', axis=2)
        v = g.op_to('Concat', [f'past_key_values.{i}.decoder.value', v_new], f'present.{i}.decoder.value', axis=2)
        attn = g.attend(g.heads(g.linear(h, D_MODEL, D_MODEL)), k, v, mask)
        x = g.op('Add', [x, g.linear(g.merge_heads(attn), D_MODEL, D_MODEL)])
        # Cross-attention keys/values are recomputed each step (cheap here); the cached ones are
        # what transformers.js feeds back, and equal these.
        h = g.layer_norm(x)
        ek = g.op_to('Identity', [g.heads(g.linear('encoder_hidden_states', D_MODEL, D_MODEL))], f'present.{i}.encoder.key')
        ev = g.op_to('Identity', [g.heads(g.linear('encoder_hidden_states', D_MODEL, D_MODEL))], f'present.{i}.encoder.value')
        attn = g.attend(g.heads(g.linear(h, D_MODEL, D_MODEL)), ek, ev)
        x = g.op('Add', [x, g.linear(g.merge_heads(attn), D_MODEL, D_MODEL)])
        x = g.op('Add', [x, g.mlp(g.layer_norm(x))])
    logits = g.op('MatMul', [g.layer_norm(x), g.op('Transpose', [embedding], perm=[1, 0])])
    table = script_table(script, loop, no_speech)
    if table is not None:
        logits = g.op('Add', [logits, g.op('Gather', [g.const(table), 'input_ids'], axis=0)])
    g.op_to('Identity', [logits], 'logits')
    return model_proto(g, inputs, outputs, 'decoder')


def tokenizer_files():
    byte_chars = bytes_to_unicode()
    vocab = {byte_chars[b]: b for b in range(256)}
    added = [{'id': 256 + i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True} for i, t in enumerate(SPECIALS)]
    # Timestamps are added tokens but not special: the ASR decoder reads them by id.
    added += [
        {'id': TIMESTAMP_BEGIN + i, 'content': f'<|{i * 0.02:.2f}|>', 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': False}
        for i in range(N_TIMESTAMPS)
    ]
    for token in added:
        vocab[token['content']] = token['id']
    tokenizer = {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': added,
        'normalizer': None,
        'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True},
        'post_processor': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': False, 'use_regex': True},
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
        'model': {
            'type': 'BPE',
            'dropout': None,
            'unk_token': None,
            'continuing_subword_prefix': '',
            'end_of_word_suffix': '',
            'fuse_unk': False,
            'byte_fallback': False,
            'vocab': vocab,
            'merges': [],
        },
    }
    config = {
        'tokenizer_class': 'WhisperTokenizer',
        'model_max_length': 1024,
        'bos_token': '<|endoftext|>',
        'eos_token': '<|endoftext|>',
        'unk_token': '<|endoftext|>',
        'pad_token': '<|endoftext|>',
        'add_prefix_space': False,
        'errors': 'replace',
        'clean_up_tokenization_spaces': True,
    }
    return tokenizer, config


def write_json(path, value):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, ensure_ascii=False)


def main(argv):
    if not argv or argv[0].startswith('-'):
        raise SystemExit(__doc__)
    out = argv[0]
    script = None
    loop = False
    no_speech = False
    seed = 7
    rest = argv[1:]
    while rest:
        flag = rest.pop(0)
        if flag == '--script':
            script = rest.pop(0)
        elif flag == '--loop':
            loop = True
        elif flag == '--no-speech':
            no_speech = True
        elif flag == '--seed':
            seed = int(rest.pop(0))
        else:
            raise SystemExit(f'unknown option {flag}')
    rng = np.random.default_rng(seed)
    os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
    onnx.save(encoder(rng), os.path.join(out, 'onnx', 'encoder_model.onnx'))
    onnx.save(decoder(rng, script, loop, no_speech), os.path.join(out, 'onnx', 'decoder_model_merged.onnx'))
    common = {'decoder_start_token_id': SOT, 'eos_token_id': EOT, 'bos_token_id': EOT, 'pad_token_id': EOT}
    write_json(os.path.join(out, 'config.json'), {
        'model_type': 'whisper',
        'architectures': ['WhisperForConditionalGeneration'],
        'd_model': D_MODEL,
        'encoder_layers': ENC_LAYERS,
        'decoder_layers': DEC_LAYERS,
        'encoder_attention_heads': HEADS,
        'decoder_attention_heads': HEADS,
        'encoder_ffn_dim': FFN,
        'decoder_ffn_dim': FFN,
        'num_mel_bins': N_MELS,
        'max_source_positions': ENC_POSITIONS,
        'max_target_positions': DEC_POSITIONS,
        'vocab_size': VOCAB,
        'is_encoder_decoder': True,
        'use_cache': True,
        'begin_suppress_tokens': [32, EOT],
        'suppress_tokens': [],
        'torch_dtype': 'float32',
        **common,
    })
    write_json(os.path.join(out, 'generation_config.json'), {
        **common,
        'begin_suppress_tokens': [32, EOT],
        'suppress_tokens': [],
        'is_multilingual': False,
        'max_initial_timestamp_index': 50,
        'max_length': DEC_POSITIONS,
        'no_timestamps_token_id': NO_TIMESTAMPS,
        'prev_sot_token_id': PREV,
        'return_timestamps': False,
        'alignment_heads': [[1, 0], [1, 1]],
    })
    write_json(os.path.join(out, 'preprocessor_config.json'), {
        'chunk_length': 30,
        'feature_extractor_type': 'WhisperFeatureExtractor',
        'feature_size': N_MELS,
        'hop_length': 160,
        'n_fft': 400,
        'n_samples': 480000,
        'nb_max_frames': N_FRAMES,
        'padding_side': 'right',
        'padding_value': 0.0,
        'processor_class': 'WhisperProcessor',
        'return_attention_mask': False,
        'sampling_rate': 16000,
    })
    tokenizer, tokenizer_config = tokenizer_files()
    write_json(os.path.join(out, 'tokenizer.json'), tokenizer)
    write_json(os.path.join(out, 'tokenizer_config.json'), tokenizer_config)


if __name__ == '__main__':
    main(sys.argv[1:])
