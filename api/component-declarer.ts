import { BYTE_AMOUNT_EXPECTATION, parseByteAmount } from './byte-amount.js';
import type { ConfigMap, ConfigValue } from './config-value.js';
import type { InputDefinition } from './topology-definition.js';

/** A byte amount as a number of bytes or a size string such as `'2GiB'`. */
export type ByteAmount = number | string;

/**
 * What the builder records about one component while the user declares it. Internal to the builder and its
 * declarers: the user's view is the declarer's methods.
 */
export interface ComponentDraft {
  readonly kind: 'spout' | 'bolt';
  readonly name: string;
  readonly parallelism: number;
  /** Returns the one instance (object form) or a new one (factory form); called once at build time. */
  readonly create: () => unknown;
  readonly resources: { cpu?: number; ram?: number; disk?: number };
  readonly config: Record<string, ConfigValue>;
  /** Empty for spouts. */
  readonly inputs: InputDefinition[];
  /** Problems found while declaring (such as an unparsable size), reported by `build` with the others. */
  readonly problems: string[];
}

/**
 * The resources and config shared by both declarers. Every method returns the declarer, for chaining. Nothing
 * throws here: bad values are reported, all together, by `TopologyBuilder.build`.
 */
export abstract class ComponentDeclarer<Self extends ComponentDeclarer<Self>> {
  /** @internal Created by the {@link TopologyBuilder}, not by users. */
  constructor(protected readonly draft: ComponentDraft) {}

  /** The component's name, as given to `setSpout` or `setBolt`. */
  get name(): string {
    return this.draft.name;
  }

  /** Cores per task (may be fractional, must be > 0). */
  setCpu(cores: number): Self {
    this.draft.resources.cpu = cores;
    return this.self();
  }

  /** RAM per task: bytes, or a size such as `'2GiB'`. */
  setRam(amount: ByteAmount): Self {
    this.setBytes('ram', amount);
    return this.self();
  }

  /** Disk per task: bytes, or a size such as `'10GiB'`. */
  setDisk(amount: ByteAmount): Self {
    this.setBytes('disk', amount);
    return this.self();
  }

  /** Sets one key of this component's config, overlaid on the topology's config for its tasks. */
  addConfiguration(key: string, value: ConfigValue): Self {
    this.draft.config[key] = value;
    return this.self();
  }

  /** Sets several keys of this component's config; later calls win over earlier ones. */
  addConfigurations(config: ConfigMap): Self {
    Object.assign(this.draft.config, config);
    return this.self();
  }

  private setBytes(resource: 'ram' | 'disk', amount: ByteAmount): void {
    // Numbers go through as given so validation reports a bad one in its own words; only strings need parsing.
    const bytes = typeof amount === 'number' ? amount : parseByteAmount(amount);
    if (bytes === undefined) {
      this.draft.problems.push(`${this.draft.kind} '${this.draft.name}': ${resource}: expected ${BYTE_AMOUNT_EXPECTATION}, got ${JSON.stringify(amount)}`);
      delete this.draft.resources[resource];
    } else {
      this.draft.resources[resource] = bytes;
    }
  }

  private self(): Self {
    return this as unknown as Self;
  }
}

/** Returned by `TopologyBuilder.setSpout`: sets the spout's resources and config. */
export class SpoutDeclarer extends ComponentDeclarer<SpoutDeclarer> {}
