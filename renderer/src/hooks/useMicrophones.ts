import { useCallback, useEffect, useState } from 'react';
import { listMicrophones } from '../capture/capture-session.js';

export interface Microphone {
  readonly deviceId: string;
  readonly label: string;
}

/** The microphones the system offers, listed again when devices change (names appear once access was allowed). */
export function useMicrophones(): { microphones: readonly Microphone[]; refresh: () => void } {
  const [microphones, setMicrophones] = useState<readonly Microphone[]>([]);
  const refresh = useCallback(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    listMicrophones().then(
      (list) => setMicrophones(list.filter((mic) => mic.deviceId !== '')),
      () => setMicrophones([]),
    );
  }, []);
  useEffect(() => {
    refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', refresh);
  }, [refresh]);
  return { microphones, refresh };
}
