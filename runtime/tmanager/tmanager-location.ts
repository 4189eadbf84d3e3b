import type { Logger } from 'winston';
import { isEgretError, messageOf } from '../../core/errors.js';
import { ProtoTManagerLocation } from '../../core/proto/index.js';
import type { StateManager, StateWatch } from '../../core/spi/state-manager.js';
import { TManagerError } from './tmanager-error.js';

/** How long a starting topology manager waits for a previous one's location to go away. */
export interface EstablishLocationOptions {
  readonly retryIntervalMs: number;
  /**
   * Longer than a ZooKeeper session: a killed topology manager's ephemeral node lasts until its session expires
   * (localfs notices the dead owner at once).
   */
  readonly retryForMs: number;
  readonly logger: Logger;
}

/**
 * Writes the topology manager's location as an ephemeral `tmanagers/<topology>` node that must not exist yet, as
 * Heron does: a node that exists may be a live topology manager's, so this one waits for it to vanish rather than
 * take over. Throws TMANAGER_LOCATION_TAKEN when it stays for `retryForMs`, and the state manager's errors.
 */
export async function establishLocation(state: StateManager, location: ProtoTManagerLocation, options: EstablishLocationOptions): Promise<void> {
  const topology = location.topologyName;
  const deadline = Date.now() + options.retryForMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await state.create('tmanagers', topology, location, { ephemeral: true });
      if (attempt > 1) options.logger.info('location written after the previous one went away', { attempts: attempt });
      return;
    } catch (error) {
      if (!isEgretError(error) || error.code !== 'STATE_NODE_EXISTS') throw error;
      const existing = await state.find('tmanagers', topology);
      if (Date.now() >= deadline) {
        const where = existing ? ` (${existing.host}, server port ${existing.serverPort})` : '';
        throw new TManagerError(`another topology manager's location tmanagers/${topology}${where} stayed for ${options.retryForMs} ms; is one still running?`, {
          code: 'TMANAGER_LOCATION_TAKEN',
          cause: error,
        });
      }
      if (attempt === 1) options.logger.warn('a topology manager location already exists; waiting for it to go away', { existing: existing && describeLocation(existing) });
      await new Promise((resolve) => setTimeout(resolve, options.retryIntervalMs));
    }
  }
}

/**
 * Keeps the location node this process wrote: re-creates it when it vanishes while this process lives (a ZooKeeper
 * session replaced), and calls `onLost` when another topology manager's location replaced it, after which this one
 * must stop (two would fight over the stream managers).
 */
export async function guardLocation(state: StateManager, location: ProtoTManagerLocation, onLost: (reason: string) => void, logger: Logger): Promise<StateWatch> {
  const topology = location.topologyName;
  return state.watch('tmanagers', topology, async () => {
    try {
      const current = await state.find('tmanagers', topology);
      if (current === undefined) {
        logger.warn('the location node vanished; writing it again');
        await state.create('tmanagers', topology, location, { ephemeral: true }).catch(async (error: unknown) => {
          if (!isEgretError(error) || error.code !== 'STATE_NODE_EXISTS') throw error;
          const now = await state.find('tmanagers', topology);
          if (now && !sameLocation(now, location)) onLost(`another topology manager wrote its location (${describeLocation(now)})`);
        });
      } else if (!sameLocation(current, location)) {
        onLost(`another topology manager wrote its location (${describeLocation(current)})`);
      }
    } catch (error) {
      logger.error('checking the location node failed', { error: messageOf(error) });
    }
  });
}

/** True when two locations name the same process's ports. */
export function sameLocation(a: ProtoTManagerLocation, b: ProtoTManagerLocation): boolean {
  return a.topologyId === b.topologyId && a.host === b.host && a.serverPort === b.serverPort && a.controllerPort === b.controllerPort;
}

function describeLocation(location: ProtoTManagerLocation): string {
  return `${location.host}, server port ${location.serverPort}, controller port ${location.controllerPort}`;
}
