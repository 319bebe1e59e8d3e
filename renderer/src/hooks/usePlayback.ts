import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { PlayerState } from '../audio/pcm-player.js';
import { PcmPlayer } from '../audio/pcm-player.js';

export interface Playback {
  readonly state: PlayerState;
  /** Where playback is in the recording, updated a few times a second while it plays. */
  readonly positionMs: number | undefined;
  readonly play: (fromMs: number) => void;
  readonly pause: () => void;
}

/** Plays a visit's stored audio through the API (audio:range), a window at a time. */
export function usePlayback(api: ScribeApi, visitId: string): Playback {
  const [state, setState] = useState<PlayerState>({ kind: 'idle' });
  const [positionMs, setPositionMs] = useState<number | undefined>(undefined);
  const player = useMemo(() => new PcmPlayer((fromMs, toMs) => api.audio.range({ visitId, fromMs, toMs }), setState), [api, visitId]);

  useEffect(() => () => void player.close(), [player]);

  useEffect(() => {
    if (state.kind !== 'playing') {
      if (state.kind === 'paused') setPositionMs(state.atMs);
      return;
    }
    const timer = setInterval(() => setPositionMs(player.positionMs()), 200);
    return () => clearInterval(timer);
  }, [state, player]);

  const play = useCallback((fromMs: number) => void player.play(fromMs), [player]);
  const pause = useCallback(() => player.pause(), [player]);
  return { state, positionMs, play, pause };
}
