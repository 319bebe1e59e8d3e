import { useId } from 'react';

/** The input level as a native <meter> (no inline styles): screen readers read its value. */
export function LevelMeter({ level, active }: { level: number; active: boolean }) {
  const id = useId();
  const percent = Math.round(level * 100);
  return (
    <div className="level-meter">
      <label htmlFor={id}>Input level</label>
      <meter
        id={id}
        min={0}
        max={1}
        low={0.2}
        high={0.92}
        optimum={0.6}
        value={active ? level : 0}
        aria-valuetext={active ? `${percent} percent` : 'not listening'}
      >
        {active ? `${percent}%` : 'not listening'}
      </meter>
    </div>
  );
}
