import {Box, render, Static, Text, useInput, useStdin, useWindowSize} from 'ink';
import {useSyncExternalStore} from 'react';
import type {ListrRendering, RunnerUi, StepInfo} from '../engine/runner.js';
import type {StepRecord} from '../engine/session.js';
import type {Answers, Parameter, ParameterContext, ReviewDocument, SecretStore} from '../engine/wizard.js';
import {InterruptedError} from '../engine/errors.js';
import type {VerificationReport} from '../verify/report.js';
import {AnswersForm} from './answers-form.js';
import type {HomeChoice, HomeData} from './home-screen.js';
import {HomeScreen} from './home-screen.js';
import type {LocalCloudProgress} from '../local/progress.js';
import {LocalCloudProgressLine} from './local-cloud-progress.js';
import {createTaskStore, InkListrRenderer, type TaskStore} from './ink-listr-renderer.js';
import {type Outcome, OutcomeScreen, OutcomeSummary} from './outcome-screen.js';
import {RerunGuard} from './rerun-guard.js';
import {ReviewScreen} from './review-screen.js';
import {type FinishedStep, FinishedStepLine, StepHeader} from './step-header.js';
import {TaskList} from './task-list.js';
import {colors} from './theme.js';
import {TypedConfirmation} from './typed-confirmation.js';

import {VerificationTable} from './verification-table.js';
import {wrapText} from './wrap-text.js';

export type {HomeChoice, HomeData} from './home-screen.js';
export type {Outcome} from './outcome-screen.js';

export type InteractiveApp = {
	/** The engine's interface, backed by the screens of this app. */
	runnerUi: RunnerUi;
	home(data: HomeData): Promise<HomeChoice>;
	/** Shows how the run ended and waits for Enter (or q) before resolving. */
	showOutcome(outcome: Outcome): Promise<void>;
	/** Draws the final frame, unmounts and waits for Ink to exit. */
	close(): Promise<void>;
	/** Shows what the local cloud is doing while it starts (a live line; gone once it is ready). */
	localCloudProgress(progress: LocalCloudProgress | undefined): void;
};

export type InteractiveAppOptions = {
	stdout: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	/** Ctrl-C, a keypress while Ink holds raw mode. Called again on a second Ctrl-C. */
	onInterrupt: () => void;
};

type Pending<T> = {resolve(value: T): void; reject(error: unknown): void};

type Screen =
	| {kind: 'idle'}
	| ({kind: 'home'; data: HomeData} & Pending<HomeChoice>)
	| ({kind: 'form'; parameters: Parameter[]; context: ParameterContext; secrets: SecretStore} & Pending<Answers>)
	| ({kind: 'review'; document: ReviewDocument} & Pending<boolean>)
	| ({kind: 'confirm'; expected: string; message: string} & Pending<boolean>)
	| ({kind: 'rerun'; step: StepInfo; record: StepRecord} & Pending<boolean>)
	| ({kind: 'outcome'; outcome: Outcome} & Pending<void>);

type HistoryItem =
	| {key: string; kind: 'step'; step: FinishedStep}
	| {key: string; kind: 'report'; report: VerificationReport}
	| {key: string; kind: 'outcome'; outcome: Outcome};

type CurrentStep = {step: StepInfo; index: number; total: number};

type AppState = {
	history: HistoryItem[];
	current: CurrentStep | undefined;
	screen: Screen;
	/** Screens are keyed by this, so the same kind of screen twice in a row starts fresh. */
	screenId: number;
	localCloud?: LocalCloudProgress | undefined;
};

/** The state of the whole run outside React: the engine calls in, the components render it. */
function createAppState() {
	let state: AppState = {history: [], current: undefined, screen: {kind: 'idle'}, screenId: 0};
	const listeners = new Set<() => void>();
	let historyKey = 0;
	return {
		get: () => state,
		subscribe(listener: () => void) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		update(change: Partial<AppState>) {
			state = {...state, ...change, screenId: change.screen ? state.screenId + 1 : state.screenId};
			for (const listener of listeners) {
				listener();
			}
		},
		nextKey: () => `h${historyKey++}`,
	};
}

type AppStateStore = ReturnType<typeof createAppState>;

function HistoryLine({item, columns}: {item: HistoryItem; columns: number}) {
	if (item.kind === 'report') {
		return (
			<Box marginTop={1} flexDirection="column">
				<VerificationTable report={item.report} columns={columns} />
			</Box>
		);
	}

	if (item.kind === 'outcome') {
		return <OutcomeSummary outcome={item.outcome} />;
	}

	return <FinishedStepLine step={item.step} columns={columns} />;
}

function ActiveScreen({screen, rows, columns, headerRows}: {screen: Screen; rows: number; columns: number; headerRows: number}) {
	// Whatever the step header and the legend leave, minus a margin: the live region must stay shorter than the terminal.
	const room = Math.max(3, rows - headerRows - 6);
	switch (screen.kind) {
		case 'home': {
			return <HomeScreen data={screen.data} listRows={Math.min(10, room)} onChoice={screen.resolve} />;
		}

		case 'form': {
			// The summary of resolved answers may use every row the step header leaves, less one so the frame never fills the terminal.
			return <AnswersForm parameters={screen.parameters} context={screen.context} secrets={screen.secrets} height={Math.max(6, rows - headerRows - 1)} columns={columns} listRows={Math.min(12, Math.max(3, room - 3))} onSubmit={screen.resolve} />;
		}

		case 'review': {
			return <ReviewScreen document={screen.document} height={room - 1} columns={columns} onAnswer={screen.resolve} />;
		}

		case 'confirm': {
			return <TypedConfirmation expected={screen.expected} message={screen.message} onAnswer={screen.resolve} />;
		}

		case 'rerun': {
			return <RerunGuard step={screen.step} record={screen.record} onAnswer={screen.resolve} />;
		}

		case 'outcome': {
			return <OutcomeScreen outcome={screen.outcome} onDone={screen.resolve} />;
		}

		default: {
			return null;
		}
	}
}

function App({appState, taskStore, onCtrlC}: {appState: AppStateStore; taskStore: TaskStore; onCtrlC: () => void}) {
	const state = useSyncExternalStore(appState.subscribe, appState.get);
	const {columns, rows} = useWindowSize();
	const {isRawModeSupported} = useStdin();
	useInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				onCtrlC();
			}
		},
		{isActive: isRawModeSupported},
	);

	const headerRows = state.current ? 2 + wrapText(state.current.step.explain, columns).length : 0;
	// The live region must stay shorter than the terminal: once Ink's frame reaches the bottom it clears the screen and
	// loses a finished-step line. A task takes two rows (title and progress line), three when narrow lines wrap; one
	// slot goes to the step's own task and the rest to a summary, the hint and the legend.
	const rowsPerTask = columns < 70 ? 3 : 2;
	const taskLimit = Math.max(2, Math.floor((rows - headerRows - 5) / rowsPerTask) - 1);
	return (
		<>
			<Static items={state.history}>{item => <HistoryLine key={item.key} item={item} columns={columns} />}</Static>
			<Box flexDirection="column">
				{state.current ? <StepHeader step={state.current.step} index={state.current.index} total={state.current.total} /> : null}
				<TaskList store={taskStore} limit={taskLimit} />
				<LocalCloudProgressLine progress={state.localCloud} />
				{state.screen.kind === 'idle' ? null : (
					<Box flexDirection="column">
						<ActiveScreen key={state.screenId} screen={state.screen} rows={rows} columns={columns} headerRows={headerRows} />
					</Box>
				)}
				{state.screen.kind === 'idle' && state.current ? <Text color={colors.muted}>Ctrl-C stops and saves the session</Text> : null}
			</Box>
		</>
	);
}

function stepSummary(record: StepRecord, taskStore: TaskStore): string | undefined {
	if (record.state === 'failed') {
		return record.error?.message ?? 'failed';
	}

	if (record.state === 'interrupted') {
		return 'interrupted';
	}

	const root = taskStore.getSnapshot().at(-1);
	return root?.output ?? root?.message;
}

/** One long-lived Ink render for a whole interactive run; listr2 tasks draw through it, never beside it. */
export function startInteractiveApp(options: InteractiveAppOptions): InteractiveApp {
	const appState = createAppState();
	const taskStore = createTaskStore();

	/** Shows a screen and settles when its component answers. Ctrl-C rejects it, so an engine waiting on a prompt unwinds. */
	const ask = <T,>(make: (pending: Pending<T>) => Screen): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			let settled = false;
			const settle = (after: () => void) => {
				// A double Enter must not answer twice, nor blank the screen the engine has shown since.
				if (settled) {
					return;
				}

				settled = true;
				if (appState.get().screen === screen) {
					appState.update({screen: {kind: 'idle'}});
				}

				after();
			};

			const screen = make({resolve: value => settle(() => resolve(value)), reject: error => settle(() => reject(error))});
			appState.update({screen});
		});

	const onCtrlC = () => {
		const {screen} = appState.get();
		options.onInterrupt();
		if (screen.kind === 'outcome') {
			screen.resolve();
		} else if (screen.kind !== 'idle') {
			screen.reject(new InterruptedError('Interrupted: the session is saved'));
		}
	};

	const finishStep = (step: StepInfo, finished: Omit<FinishedStep, 'key' | 'title' | 'index' | 'total'>, index: number, total: number) => {
		taskStore.clear();
		appState.update({
			current: undefined,
			history: [...appState.get().history, {key: appState.nextKey(), kind: 'step', step: {key: step.id, title: step.title, index, total, ...finished}}],
		});
	};

	const runnerUi: RunnerUi = {
		stepStarted(step, index, total) {
			taskStore.clear();
			appState.update({current: {step, index, total}});
		},
		stepSkipped(step, index, total, record) {
			finishStep(step, {outcome: 'skipped', summary: record?.summary ? `done earlier · ${record.summary}` : 'done earlier'}, index, total);
		},
		stepFinished(step, record) {
			const current = appState.get().current;
			const outcome = record.state === 'done' ? 'done' : record.state === 'interrupted' ? 'interrupted' : 'failed';
			finishStep(step, {outcome, summary: record.summary ?? stepSummary(record, taskStore)}, current?.index ?? 0, current?.total ?? 0);
		},
		async askParameters(_step, parameters, context, secrets) {
			if (parameters.length === 0) {
				return {};
			}

			return ask<Answers>(pending => ({kind: 'form', parameters, context, secrets, ...pending}));
		},
		async review(_step, document) {
			return ask<boolean>(pending => ({kind: 'review', document, ...pending}));
		},
		async confirm(_step, request) {
			return ask<boolean>(pending => ({kind: 'confirm', expected: request.expected, message: request.message, ...pending}));
		},
		async confirmRerun(step, record) {
			return ask<boolean>(pending => ({kind: 'rerun', step, record, ...pending}));
		},
		rendering(): ListrRendering {
			// The fallback must never draw: anything but Ink writing to the terminal corrupts the frame.
			return {renderer: InkListrRenderer, rendererOptions: {store: taskStore}, fallbackRenderer: 'silent'};
		},
	};

	const tree = () => <App appState={appState} taskStore={taskStore} onCtrlC={onCtrlC} />;
	// ferry decided interactivity once (mode.ts); Ink must not second-guess it from CI variables or isTTY.
	const instance = render(tree(), {stdout: options.stdout, stdin: options.stdin, exitOnCtrlC: false, patchConsole: false, interactive: true});

	return {
		runnerUi,
		home: async data => ask<HomeChoice>(pending => ({kind: 'home', data, ...pending})),
		localCloudProgress: progress => appState.update({localCloud: progress}),
		async showOutcome(outcome) {
			if (outcome.report) {
				appState.update({history: [...appState.get().history, {key: appState.nextKey(), kind: 'report', report: outcome.report}]});
			}

			await ask<void>(pending => ({kind: 'outcome', outcome, ...pending}));
			// Into the history, which stays on the terminal: the live frame (and the outcome screen with it) is gone after exit.
			appState.update({history: [...appState.get().history, {key: appState.nextKey(), kind: 'outcome', outcome}]});
		},
		async close() {
			appState.update({screen: {kind: 'idle'}, current: undefined});
			// Ink throttles frames; a synchronous rerender commits the last state before unmount (cli-conventions §3.1).
			instance.rerender(tree());
			instance.unmount();
			await instance.waitUntilExit();
		},
	};
}
