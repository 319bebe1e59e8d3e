import type { EventBus } from '../kernel/event-bus.js';
import type { Logger } from '../log/logger.js';
import type { SettingsService } from '../policy/settings-service.js';
import type { Clock } from '../store/clock.js';
import type { DefaultTargets } from './default-targets.js';
import { deliverersFromSettings } from './deliverers-from-settings.js';
import type { Deliverers } from './router.js';

/** The delivery targets for the current settings, built once and rebuilt after a settings change. */
export function settingsDeliverers(
  settings: SettingsService,
  events: EventBus,
  deps: { defaults: DefaultTargets; logger: Logger; clock: Clock },
): () => Promise<Deliverers> {
  let current: Promise<Deliverers> | undefined;
  events.on('settings:changed', () => {
    current = undefined;
  });
  return () => (current ??= deliverersFromSettings(settings.values(), deps));
}
