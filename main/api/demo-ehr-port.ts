import type { DemoEhrReceived, DemoEhrStatus } from '../../shared/domain/demo-ehr.js';
import { DEMO_EHR_LABEL } from '../../shared/domain/demo-ehr.js';

/**
 * The demo EHR the host started in its own process (main/sandbox/embedded-demo-ehr.ts), offered to
 * the handler table: whether the app is connected to it, and what it has filed so far.
 */
export interface DemoEhrPort {
  status(): DemoEhrStatus;
  received(): Promise<DemoEhrReceived>;
}

export const noDemoEhr: DemoEhrPort = {
  status: () => ({ inUse: false, label: DEMO_EHR_LABEL }),
  received: () => Promise.resolve({ inUse: false, documents: [] }),
};
