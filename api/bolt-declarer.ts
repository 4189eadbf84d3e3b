import { ComponentDeclarer } from './component-declarer.js';
import type { CustomStreamGrouping } from './custom-grouping.js';
import { DEFAULT_STREAM, type Grouping } from './topology-definition.js';

/**
 * Returned by `TopologyBuilder.setBolt`: subscribes the bolt to streams and sets its resources and config.
 * Each grouping method subscribes to one stream of one component (`default` unless named) and returns the
 * declarer. Subscriptions are checked by `TopologyBuilder.build`, not here, so the order of declarations
 * does not matter (a bolt may subscribe to a component declared after it, or to itself).
 */
export class BoltDeclarer extends ComponentDeclarer<BoltDeclarer> {
  /** Each tuple goes to one task, chosen at random so the tasks get equal shares. */
  shuffleGrouping(component: string, stream: string = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'shuffle' });
  }

  /** Tuples with equal values of `fields` always go to the same task. */
  fieldsGrouping(component: string, fields: readonly string[], stream: string = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'fields', fields: Array.isArray(fields) ? [...fields] : fields });
  }

  /** Every task gets every tuple. */
  allGrouping(component: string, stream: string = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'all' });
  }

  /** Every tuple goes to the task with the lowest id. */
  globalGrouping(component: string, stream: string = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'global' });
  }

  /** The engine chooses; currently the same as shuffle. */
  noneGrouping(component: string, stream: string = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'none' });
  }

  /** The emitter chooses the task with `emitDirect`; the stream must be declared with `{ direct: true }`. */
  directGrouping(component: string, stream: string = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'direct' });
  }

  /** `grouping` chooses the tasks of every tuple, in the emitting task's process. */
  customGrouping(component: string, grouping: CustomStreamGrouping, stream: string = DEFAULT_STREAM): BoltDeclarer {
    return this.subscribe(component, stream, { type: 'custom', implementation: grouping });
  }

  private subscribe(component: string, stream: string, grouping: Grouping): BoltDeclarer {
    this.draft.inputs.push({ component, stream, grouping });
    return this;
  }
}
