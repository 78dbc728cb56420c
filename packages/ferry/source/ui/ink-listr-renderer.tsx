import {
	ListrTaskEventType,
	ListrTaskState,
	type ListrRenderer,
	type ListrRendererFactory,
	type ListrTaskObject,
} from 'listr2';

/**
 * A listr2 renderer that draws nothing itself. The interactive app already owns the terminal through Ink
 * (two writers corrupt each other, listr2 #31), so this renderer only publishes the task tree to a store
 * that the mounted Ink app subscribes to.
 */
export type TaskViewState = 'waiting' | 'running' | 'done' | 'failed' | 'skipped' | 'retrying' | 'rolling-back' | 'rolled-back' | 'paused';

export type TaskView = {
	id: string;
	title: string;
	state: TaskViewState;
	/** The latest output line (progress, counts). */
	output?: string;
	/** Why a task was skipped or failed. */
	message?: string;
	subtasks: TaskView[];
};

export type TaskStore = {
	getSnapshot(): readonly TaskView[];
	subscribe(listener: () => void): () => void;
	/** Forgets every task: the app calls this when a step starts or finishes, so only one step's tasks are live. */
	clear(): void;
};

type AnyTask = ListrTaskObject<unknown, ListrRendererFactory, ListrRendererFactory>;

/** The live listr2 objects behind a store. Nested lists (`task.newListr(...).run()`) get a renderer of their own; it attaches here. */
type Registry = {
	roots: AnyTask[];
	children: Map<string, AnyTask[]>;
	timer: NodeJS.Timeout | undefined;
	publish(tasks: readonly TaskView[]): void;
};

const registries = new WeakMap<TaskStore, Registry>();

/** Task events come faster than a terminal can show them (a progress line per chunk); publishing is batched to this interval. */
const publishIntervalMs = 50;

export function createTaskStore(): TaskStore {
	let snapshot: readonly TaskView[] = [];
	const listeners = new Set<() => void>();
	const registry: Registry = {
		roots: [],
		children: new Map(),
		timer: undefined,
		publish(tasks) {
			snapshot = tasks;
			for (const listener of listeners) {
				listener();
			}
		},
	};
	const store: TaskStore = {
		getSnapshot: () => snapshot,
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		clear() {
			clearTimeout(registry.timer);
			registry.timer = undefined;
			registry.roots = [];
			registry.children.clear();
			registry.publish([]);
		},
	};
	registries.set(store, registry);
	return store;
}

const stateNames: Record<string, TaskViewState> = {
	[ListrTaskState.WAITING]: 'waiting',
	[ListrTaskState.STARTED]: 'running',
	[ListrTaskState.PROMPT]: 'running',
	[ListrTaskState.PROMPT_COMPLETED]: 'running',
	[ListrTaskState.COMPLETED]: 'done',
	[ListrTaskState.FAILED]: 'failed',
	[ListrTaskState.PROMPT_FAILED]: 'failed',
	[ListrTaskState.SKIPPED]: 'skipped',
	[ListrTaskState.RETRY]: 'retrying',
	[ListrTaskState.ROLLING_BACK]: 'rolling-back',
	[ListrTaskState.ROLLED_BACK]: 'rolled-back',
	[ListrTaskState.PAUSED]: 'paused',
};

function viewsOf(tasks: readonly AnyTask[], registry: Registry): TaskView[] {
	const views: TaskView[] = [];
	for (const task of tasks) {
		if (!task.isEnabled()) {
			continue;
		}

		const children = task.subtasks?.length ? task.subtasks : registry.children.get(task.id) ?? [];
		const subtasks = viewsOf(children, registry);
		if (!task.hasTitle()) {
			views.push(...subtasks);
			continue;
		}

		const view: TaskView = {id: task.id, title: task.title ?? '', state: stateNames[task.state] ?? 'waiting', subtasks};
		const output = lastLine(task.output);
		if (output) {
			view.output = output;
		}

		const message = task.message.error ?? task.message.skip;
		if (message !== undefined && message !== task.title) {
			view.message = lastLine(message);
		}

		views.push(view);
	}

	return views;
}

function lastLine(text: string | undefined): string | undefined {
	return text?.trimEnd().split('\n').at(-1)?.trim() || undefined;
}

function publishNow(registry: Registry): void {
	clearTimeout(registry.timer);
	registry.timer = undefined;
	registry.publish(viewsOf(registry.roots, registry));
}

function schedulePublish(registry: Registry): void {
	registry.timer ??= setTimeout(() => {
		publishNow(registry);
	}, publishIntervalMs);
}

export type InkListrRendererOptions = {
	/** The store the Ink app draws from. */
	store?: TaskStore;
};

const watchedEvents = [ListrTaskEventType.STATE, ListrTaskEventType.TITLE, ListrTaskEventType.OUTPUT, ListrTaskEventType.MESSAGE, ListrTaskEventType.ENABLED] as const;

export class InkListrRenderer implements ListrRenderer {
	/** Ink decides about the terminal; listr2 must not fall back on its own because stdout is not a TTY (the UI may draw on stderr). */
	static nonTTY = true;
	static rendererOptions: InkListrRendererOptions = {};
	static rendererTaskOptions: Record<PropertyKey, never> = {};

	private readonly tasks: AnyTask[];
	private readonly registry: Registry;
	private readonly unsubscribers: Array<() => void> = [];
	private readonly onChange = () => {
		schedulePublish(this.registry);
	};

	constructor(tasks: AnyTask[], options: InkListrRendererOptions) {
		const registry = options.store === undefined ? undefined : registries.get(options.store);
		if (registry === undefined) {
			throw new TypeError('InkListrRenderer needs rendererOptions.store from createTaskStore()');
		}

		this.tasks = tasks;
		this.registry = registry;
	}

	render(): void {
		const parent = this.tasks[0]?.parent;
		if (parent === undefined) {
			this.registry.roots.push(...this.tasks);
		} else {
			this.registry.children.set(parent.id, this.tasks);
		}

		for (const task of this.tasks) {
			this.watch(task);
		}

		publishNow(this.registry);
	}

	/** Flushes at once: a batched publish still pending would otherwise lose the final state. */
	end(): void {
		for (const unsubscribe of this.unsubscribers.splice(0)) {
			unsubscribe();
		}

		publishNow(this.registry);
	}

	private watch(task: AnyTask): void {
		for (const event of watchedEvents) {
			task.on(event, this.onChange);
			this.unsubscribers.push(() => {
				task.off(event, this.onChange);
			});
		}

		const onSubtasks = () => {
			for (const subtask of task.subtasks ?? []) {
				this.watch(subtask);
			}

			this.onChange();
		};

		task.on(ListrTaskEventType.SUBTASK, onSubtasks);
		this.unsubscribers.push(() => {
			task.off(ListrTaskEventType.SUBTASK, onSubtasks);
		});
	}
}
