import {Box, Text} from 'ink';
import {useSyncExternalStore} from 'react';
import type {TaskStore, TaskView, TaskViewState} from './ink-listr-renderer.js';
import {Spinner} from './spinner.js';
import {colors, symbols} from './theme.js';

const indentWidth = 2;

function StateMarker({state}: {state: TaskViewState}) {
	switch (state) {
		case 'running':
		case 'retrying':
		case 'rolling-back': {
			return <Spinner />;
		}

		case 'done': {
			return <Text color={colors.success}>{symbols.success}</Text>;
		}

		case 'failed': {
			return <Text color={colors.failure}>{symbols.failure}</Text>;
		}

		case 'skipped':
		case 'rolled-back': {
			return <Text color={colors.warning}>{symbols.skipped}</Text>;
		}

		default: {
			return <Text color={colors.muted}>{symbols.pending}</Text>;
		}
	}
}

const stateNotes: Partial<Record<TaskViewState, string>> = {retrying: 'retrying', 'rolling-back': 'rolling back', 'rolled-back': 'rolled back', paused: 'paused'};

/** Long sibling lists (one task per table) collapse their finished tasks into a count, so the live region stays short. */
function visibleSiblings(tasks: readonly TaskView[], limit: number): {shown: TaskView[]; hiddenDone: number; hiddenWaiting: number; hiddenSkipped: number} {
	if (tasks.length <= limit) {
		return {shown: [...tasks], hiddenDone: 0, hiddenWaiting: 0, hiddenSkipped: 0};
	}

	const active = tasks.filter(task => task.state !== 'done' && task.state !== 'skipped' && task.state !== 'waiting');
	const waiting = tasks.filter(task => task.state === 'waiting');
	const room = Math.max(0, limit - 1 - active.length);
	const shownWaiting = waiting.slice(0, room);
	const shown = tasks.filter(task => active.includes(task) || shownWaiting.includes(task));
	return {
		shown,
		hiddenDone: tasks.filter(task => task.state === 'done').length,
		hiddenWaiting: waiting.length - shownWaiting.length,
		hiddenSkipped: tasks.filter(task => task.state === 'skipped').length,
	};
}

function TaskRows({tasks, depth, limit}: {tasks: readonly TaskView[]; depth: number; limit: number}) {
	const {shown, hiddenDone, hiddenWaiting, hiddenSkipped} = visibleSiblings(tasks, limit);
	const summary = [
		hiddenDone > 0 ? `${symbols.success} ${hiddenDone} done` : '',
		hiddenSkipped > 0 ? `${symbols.skipped} ${hiddenSkipped} skipped` : '',
		hiddenWaiting > 0 ? `${hiddenWaiting} waiting` : '',
	].filter(Boolean);
	return (
		<>
			{shown.map(task => (
				<TaskRow key={task.id} task={task} depth={depth} limit={limit} />
			))}
			{summary.length > 0 && (
				<Box paddingLeft={depth * indentWidth}>
					<Text color={colors.muted}>{summary.join(` ${symbols.separator} `)}</Text>
				</Box>
			)}
		</>
	);
}

function TaskRow({task, depth, limit}: {task: TaskView; depth: number; limit: number}) {
	const note = stateNotes[task.state];
	// A finished task keeps its last line: the step's summary when it gave one, else its last progress line.
	const detail = task.state === 'running' || task.state === 'retrying' || task.state === 'failed' || task.state === 'done' || task.subtasks.length === 0 ? task.output : undefined;
	return (
		<Box flexDirection="column">
			<Box paddingLeft={depth * indentWidth}>
				<Box flexShrink={0} marginRight={1}>
					<StateMarker state={task.state} />
				</Box>
				<Text>
					{task.title}
					{note ? <Text color={colors.muted}>{` (${note})`}</Text> : null}
				</Text>
			</Box>
			{detail ? (
				<Box paddingLeft={depth * indentWidth + 2}>
					<Text color={colors.muted}>{detail}</Text>
				</Box>
			) : null}
			{task.message ? (
				<Box paddingLeft={depth * indentWidth + 2}>
					<Text color={task.state === 'failed' ? colors.failure : colors.muted}>{task.message}</Text>
				</Box>
			) : null}
			{task.subtasks.length > 0 ? <TaskRows tasks={task.subtasks} depth={depth + 1} limit={limit} /> : null}
		</Box>
	);
}

/** Draws a task tree. Presentational: the tree arrives as props. */
export function TaskTree({tasks, limit = 8}: {tasks: readonly TaskView[]; limit?: number}) {
	if (tasks.length === 0) {
		return null;
	}

	return (
		<Box flexDirection="column">
			<TaskRows tasks={tasks} depth={0} limit={limit} />
		</Box>
	);
}

/** The live task list of the running step, fed by the Ink listr2 renderer. */
export function TaskList({store, limit}: {store: TaskStore; limit?: number}) {
	const tasks = useSyncExternalStore(store.subscribe, store.getSnapshot);
	return <TaskTree tasks={tasks} limit={limit} />;
}
