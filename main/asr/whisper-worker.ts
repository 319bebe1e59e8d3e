import { parentPort, workerData } from 'node:worker_threads';
import { DecodeProbe, decoderPrefix } from './whisper-decode.js';
import type { DecodedChunk, FromWorker, ToWorker, WhisperWorkerData } from './whisper-protocol.js';

/**
 * The Whisper worker: transformers.js and onnxruntime run here, off the thread that stores audio
 * and answers the UI. It loads one model from the local models folder (remote loading is switched
 * off before anything else), then decodes one job at a time. Nothing it hears is logged: text goes
 * back to the engine only, errors go back as their class names.
 */

type TokenList = bigint[][];

interface GenerationConfig {
  readonly decoder_start_token_id: number;
  readonly eos_token_id: number | number[];
  readonly no_timestamps_token_id?: number;
  readonly prev_sot_token_id?: number;
  readonly is_multilingual?: boolean;
  readonly lang_to_id?: Record<string, number>;
  readonly task_to_id?: Record<string, number>;
}

/** The parts of transformers.js's ASR pipeline we drive; their JS types are looser than we need. */
interface WhisperParts {
  readonly model: {
    readonly generation_config: GenerationConfig;
    readonly config: { readonly vocab_size: number; readonly max_source_positions: number };
    generate(options: Record<string, unknown>): Promise<{ tolist(): TokenList }>;
  };
  readonly tokenizer: {
    convert_tokens_to_ids(token: string): number | undefined | null;
    encode(text: string, options: { add_special_tokens: boolean }): number[];
    _decode_asr(
      sequences: { tokens: bigint[]; stride: number[] }[],
      options: { time_precision: number; return_timestamps: boolean; force_full_sequences: boolean },
    ): [string, { chunks?: { text: string; timestamp: [number | null, number | null] }[] }];
  };
  processor(audio: Float32Array): Promise<{ input_features: unknown }>;
  dispose(): Promise<void>;
}

const port = parentPort;
if (!port) throw new Error('whisper-worker runs only as a worker thread');
const config = workerData as WhisperWorkerData;

async function load() {
  const tf = await import('@huggingface/transformers');
  // Before the first model call: only the local folder, never the Hub, never a cache elsewhere.
  tf.env.allowRemoteModels = false;
  tf.env.allowLocalModels = true;
  tf.env.localModelPath = config.modelsDir;
  tf.env.useFSCache = false;
  tf.env.useBrowserCache = false;
  const pipe = (await tf.pipeline('automatic-speech-recognition', config.modelId, {
    dtype: { encoder_model: config.dtype.encoder_model, decoder_model_merged: config.dtype.decoder_model_merged },
    device: 'cpu',
    session_options: { intraOpNumThreads: config.threads, interOpNumThreads: 1 },
  })) as unknown as WhisperParts;
  return { tf, pipe };
}

type Loaded = Awaited<ReturnType<typeof load>>;

function tokenId(parts: WhisperParts, token: string): number | undefined {
  const id = parts.tokenizer.convert_tokens_to_ids(token);
  return typeof id === 'number' ? id : undefined;
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}

let current: { job: number; stop: { interrupt(): void } } | undefined;

async function transcribe(loaded: Loaded, message: Extract<ToWorker, { type: 'transcribe' }>): Promise<void> {
  const { tf, pipe } = loaded;
  const generation = pipe.model.generation_config;
  const vocab = pipe.model.config.vocab_size;
  const noTimestamps = generation.no_timestamps_token_id ?? tokenId(pipe, '<|notimestamps|>');
  // A vocabulary without timestamp tokens after <|notimestamps|> cannot time its output: the
  // window's own times are used instead.
  const timestamps = noTimestamps !== undefined && vocab > noTimestamps + 1;
  const languageAndTask =
    generation.is_multilingual && generation.lang_to_id && generation.task_to_id
      ? [generation.lang_to_id['<|en|>'], generation.task_to_id['transcribe']].filter((id): id is number => typeof id === 'number')
      : [];
  const promptIds = message.prompt ? pipe.tokenizer.encode(` ${message.prompt.trim()}`, { add_special_tokens: false }) : [];
  const prefix = decoderPrefix(
    {
      startOfTranscript: generation.decoder_start_token_id,
      startOfPrevious: generation.prev_sot_token_id ?? tokenId(pipe, '<|startofprev|>'),
      languageAndTask,
    },
    promptIds,
  );
  const init = timestamps || noTimestamps === undefined ? prefix.ids : [...prefix.ids, noTimestamps];

  const probe = new DecodeProbe(tokenId(pipe, '<|nospeech|>') ?? tokenId(pipe, '<|nocaptions|>'));
  class Probe extends tf.LogitsProcessor {
    override _call(inputIds: TokenList, logits: { data: unknown }) {
      if (inputIds.length === 1 && logits.data instanceof Float32Array && logits.data.length === vocab)
        probe.observe(inputIds[0]!, logits.data);
      return logits;
    }
  }
  let tokens = 0;
  class Progress extends tf.BaseStreamer {
    override put() {
      tokens += 1;
      if (tokens % 16 === 0) post({ type: 'progress', job: message.job, tokens });
    }
    override end() {}
  }
  const stop = new tf.InterruptableStoppingCriteria();
  current = { job: message.job, stop };
  try {
    const { input_features } = await pipe.processor(message.audio);
    const output = await pipe.model.generate({
      inputs: input_features,
      decoder_input_ids: init,
      return_timestamps: timestamps,
      max_new_tokens: message.maxNewTokens,
      logits_processor: [new Probe()],
      stopping_criteria: [stop],
      streamer: new Progress(),
    });
    const sequence = output.tolist()[0] ?? [];
    const generated = sequence.slice(init.length);
    const eos = Array.isArray(generation.eos_token_id) ? generation.eos_token_id : [generation.eos_token_id];
    const last = generated.length > 0 ? Number(generated[generated.length - 1]) : undefined;
    probe.finish(last);
    const seconds = message.audio.length / 16_000;
    // The prompt is not part of what was heard: decode from <|startoftranscript|> on.
    const [text, optional] = pipe.tokenizer._decode_asr([{ tokens: sequence.slice(prefix.promptLength), stride: [seconds, 0, 0] }], {
      time_precision: 30 / pipe.model.config.max_source_positions,
      return_timestamps: timestamps,
      force_full_sequences: false,
    });
    const chunks: DecodedChunk[] = timestamps
      ? (optional.chunks ?? []).map((c) => ({ text: c.text, start: c.timestamp[0], end: c.timestamp[1] }))
      : [{ text, start: 0, end: seconds }];
    post({
      type: 'result',
      job: message.job,
      chunks,
      stats: {
        avgLogprob: probe.avgLogprob ?? null,
        noSpeechProb: probe.noSpeechProb ?? null,
        tokens: generated.length,
        truncated: last === undefined || !eos.includes(last),
      },
      cancelled: (stop as unknown as { interrupted: boolean }).interrupted,
    });
  } finally {
    current = undefined;
  }
}

async function main(): Promise<void> {
  let loaded: Loaded;
  try {
    loaded = await load();
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    // transformers.js says "Could not locate file" / "file was not found locally" for a missing file.
    const missing = error instanceof Error && /locate file|not found|ENOENT|no such file/i.test(error.message);
    post({ type: 'load_failed', reason: missing ? 'not_found' : 'invalid', errorName: name });
    return;
  }
  const jobs: Extract<ToWorker, { type: 'transcribe' }>[] = [];
  let busy = false;
  const drain = async () => {
    if (busy) return;
    busy = true;
    try {
      for (let next = jobs.shift(); next; next = jobs.shift()) {
        try {
          await transcribe(loaded, next);
        } catch (error) {
          post({ type: 'failed', job: next.job, errorName: error instanceof Error ? error.name : typeof error });
        }
      }
    } finally {
      busy = false;
    }
  };
  port!.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') {
      if (current?.job === message.job) current.stop.interrupt();
      const queued = jobs.findIndex((job) => job.job === message.job);
      if (queued >= 0) {
        jobs.splice(queued, 1);
        post({
          type: 'result',
          job: message.job,
          chunks: [],
          stats: { avgLogprob: null, noSpeechProb: null, tokens: 0, truncated: false },
          cancelled: true,
        });
      }
      return;
    }
    jobs.push(message);
    void drain();
  });
  post({
    type: 'ready',
    timestamps: loaded.pipe.model.config.vocab_size > (loaded.pipe.model.generation_config.no_timestamps_token_id ?? Infinity) + 1,
    multilingual: Boolean(loaded.pipe.model.generation_config.is_multilingual),
  });
}

void main();
