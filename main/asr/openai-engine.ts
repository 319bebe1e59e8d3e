import OpenAI, { toFile } from 'openai';
import { z } from 'zod';
import { createOpenAiClient } from '../openai/openai-connection-config.js';
import { CAPTURE_SAMPLE_RATE, SAMPLES_PER_MS } from '../../shared/domain/capture.js';
import { floatToInt16 } from '../../shared/audio/pcm.js';
import { wavHeader } from '../capture/wav-header.js';
import type { Logger } from '../log/logger.js';
import { AsrError, cancelledError } from './asr-error.js';
import { splitAtPauses, toFloat32 } from './audio-stats.js';
import type { RecognizedSegment, SpeechInput, TranscribeOptions, TranscriptionEngine } from './engine.js';
import type { OpenAiAsrConfig } from './openai-asr-config.js';
import { answersWithSegments, asrBaseUrl, asrModelName } from './openai-asr-config.js';
import { confidenceFrom, placeChunks } from './whisper-decode.js';

export interface OpenAiEngineDeps {
  readonly logger: Logger;
  /**
   * Asked before every upload with the address the audio goes to: the machine policy may forbid the
   * engine or audio leaving the device, and may change during a visit. Throws to refuse.
   */
  readonly assertAllowed: (baseUrl: string) => void;
}

/** Multipart framing and the WAV header, kept free under the upload limit. */
const UPLOAD_OVERHEAD_BYTES = 16 * 1024;

/** Maps whatever the SDK threw to our typed error, in our words (a server's body can echo the prompt). */
export function toAsrError(error: unknown): AsrError {
  if (error instanceof AsrError) return error;
  if (error instanceof OpenAI.APIUserAbortError) return cancelledError();
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return new AsrError('timeout', 'The transcription service did not answer in time.');
  if (error instanceof OpenAI.APIConnectionError) return new AsrError('unreachable', 'The transcription service could not be reached.');
  if (error instanceof OpenAI.APIError) {
    const status: number | undefined = typeof error.status === 'number' ? error.status : undefined;
    if (status === 401 || status === 403) {
      return new AsrError('unauthorized', `The transcription service refused the credentials (HTTP ${status}); check the API key.`, {
        status,
      });
    }
    if (status === 429)
      return new AsrError('rate_limited', 'The transcription service is rate-limiting requests (HTTP 429); try again shortly.', { status });
    if (status !== undefined && status >= 500)
      return new AsrError('server_error', `The transcription service failed (HTTP ${status}); try again later.`, { status });
    if (status === 404)
      return new AsrError('rejected', 'The transcription service does not know the configured model or deployment (HTTP 404).', { status });
    if (status === 413)
      return new AsrError(
        'rejected',
        'The transcription service refused the audio as too large (HTTP 413); lower SCRIBE_ASR_MAX_UPLOAD_BYTES.',
        { status },
      );
    return new AsrError('rejected', `The transcription service rejected the request (HTTP ${status ?? 'error'}).`, { status });
  }
  // JSON the SDK could not parse, and anything else thrown on the way back.
  if (error instanceof SyntaxError)
    return new AsrError('invalid_response', 'The transcription service sent an answer that is not valid JSON.');
  return new AsrError('unreachable', 'The transcription call failed before an answer arrived.');
}

const Seconds = z.number().finite().nonnegative();
const VerboseReply = z.object({
  text: z.string(),
  segments: z
    .array(
      z.object({
        start: Seconds,
        end: Seconds,
        text: z.string(),
        avg_logprob: z.number().finite().optional(),
        no_speech_prob: z.number().min(0).max(1).optional(),
      }),
    )
    .optional(),
});
const TextReply = z.object({
  text: z.string(),
  logprobs: z.array(z.object({ logprob: z.number().finite() })).optional(),
});

function wavBytes(samples: Float32Array): Buffer {
  const pcm = floatToInt16(samples);
  return Buffer.concat([wavHeader(CAPTURE_SAMPLE_RATE, 1, pcm.byteLength), Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}

/**
 * Transcription through the OpenAI audio API (or a compatible server, or Azure OpenAI). One upload
 * per speech segment, so every piece of text keeps the segment's place in the visit; a segment too
 * large for one upload (25 MB, about 13 minutes of 16 kHz audio) is cut at its quietest moments.
 * Segments are never merged into one upload: text could then not be placed in time. whisper-1 (and
 * compatible servers) answer with timed segments (verbose_json), gpt-4o models with text and
 * token log-probabilities. Retries with backoff are the SDK's (408, 409, 429, 5xx, timeouts).
 */
export function createOpenAiEngine(config: OpenAiAsrConfig, deps: OpenAiEngineDeps): TranscriptionEngine {
  const client = createOpenAiClient(config);
  const model = config.kind === 'azure' ? config.deployment : config.model;
  const segmented = answersWithSegments(config.model);
  const maxSamples = Math.floor((config.maxUploadBytes - UPLOAD_OVERHEAD_BYTES) / 2);
  const baseUrl = asrBaseUrl(config);

  async function upload(id: string, samples: Float32Array, prompt: string | undefined, signal: AbortSignal | undefined): Promise<unknown> {
    deps.assertAllowed(baseUrl);
    const file = await toFile(wavBytes(samples), `${id}.wav`, { type: 'audio/wav' });
    const started = performance.now();
    try {
      const reply: unknown = await client.audio.transcriptions.create(
        {
          file,
          model,
          language: 'en',
          temperature: 0,
          ...(prompt ? { prompt } : {}),
          ...(segmented
            ? { response_format: 'verbose_json' as const, timestamp_granularities: ['segment' as const] }
            : { response_format: 'json' as const, ...(config.kind === 'openai' ? { include: ['logprobs' as const] } : {}) }),
        },
        { signal },
      );
      deps.logger.info('asr.openai_reply', {
        model: asrModelName(config),
        ms: Math.round(performance.now() - started),
        seconds: Math.round(samples.length / CAPTURE_SAMPLE_RATE),
      });
      return reply;
    } catch (error) {
      const mapped = toAsrError(error);
      deps.logger.warn('asr.openai_failed', { model: asrModelName(config), failure: mapped.failure, status: mapped.status });
      throw mapped;
    }
  }

  function read(reply: unknown, inputId: string, window: { startMs: number; endMs: number }): RecognizedSegment[] {
    if (segmented) {
      const parsed = VerboseReply.safeParse(reply);
      if (!parsed.success)
        throw new AsrError('invalid_response', 'The transcription service answered in an unexpected shape (no text or timed segments).');
      const segments = (parsed.data.segments ?? []).filter((s) => s.text.trim() !== '');
      if (segments.length === 0)
        return placeChunks([{ text: parsed.data.text, start: 0, end: null }], window).map((p) => ({ inputId, ...p }));
      // placeChunks keeps every non-empty chunk, in order: placed[k] belongs to segments[k].
      const placed = placeChunks(
        segments.map((s) => ({ text: s.text, start: s.start, end: s.end })),
        window,
      );
      return placed.map((p, k) => {
        const s = segments[k]!;
        return {
          inputId,
          ...p,
          ...(s.avg_logprob === undefined ? {} : { avgLogprob: s.avg_logprob, confidence: confidenceFrom(s.avg_logprob) }),
          ...(s.no_speech_prob === undefined ? {} : { noSpeechProb: s.no_speech_prob }),
        };
      });
    }
    const parsed = TextReply.safeParse(reply);
    if (!parsed.success) throw new AsrError('invalid_response', 'The transcription service answered in an unexpected shape (no text).');
    const logprobs = parsed.data.logprobs ?? [];
    const avgLogprob = logprobs.length > 0 ? logprobs.reduce((sum, t) => sum + t.logprob, 0) / logprobs.length : undefined;
    return placeChunks([{ text: parsed.data.text, start: 0, end: null }], window).map((p) => ({
      inputId,
      ...p,
      ...(avgLogprob === undefined ? {} : { avgLogprob, confidence: confidenceFrom(avgLogprob) }),
    }));
  }

  return {
    name: 'openai',
    model: asrModelName(config),
    async transcribe(inputs: readonly SpeechInput[], options: TranscribeOptions = {}): Promise<RecognizedSegment[]> {
      const { signal, prompt, onProgress } = options;
      const out: RecognizedSegment[] = [];
      for (const [i, input] of inputs.entries()) {
        const samples = toFloat32(input.pcm);
        const parts = splitAtPauses(samples, maxSamples);
        for (const [k, part] of parts.entries()) {
          if (signal?.aborted) throw cancelledError();
          const reply = await upload(
            parts.length > 1 ? `${input.id}-${k}` : input.id,
            samples.subarray(part.start, part.end),
            prompt,
            signal,
          );
          const window = {
            startMs: input.startMs + Math.round(part.start / SAMPLES_PER_MS),
            endMs: input.startMs + Math.round(part.end / SAMPLES_PER_MS),
          };
          out.push(...read(reply, input.id, window));
        }
        onProgress?.({ phase: 'transcribing', inputsDone: i + 1, inputsTotal: inputs.length });
      }
      return out;
    },
    close: () => Promise.resolve(),
  };
}
