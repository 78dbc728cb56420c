import {Box, Text} from 'ink';
import {useState} from 'react';
import {resolveForm} from '../engine/parameters.js';
import type {Answers, Parameter, ParameterContext, SecretStore} from '../engine/wizard.js';
import {AnswerSummary, summaryRows} from './answer-summary.js';
import {ParameterForm} from './parameter-form.js';
import {colors} from './theme.js';

export type AnswersFormProps = {
	parameters: readonly Parameter[];
	context: ParameterContext;
	secrets: SecretStore;
	/** Rows the form may use, its legend included. */
	height: number;
	columns: number;
	/** Rows for a list of choices in a single field. */
	listRows: number;
	onSubmit(answers: Answers): void;
};

type Mode = {name: 'summary'; cursor: number} | {name: 'edit'; key: string; cursor: number} | {name: 'ask'; round: number};

/** A summary pays off from two answers on: a single field is as quick to answer as to accept. */
const summaryThreshold = 2;

/**
 * A form step as a person meets it: when defaults (the profile's, for `local` all of them) resolve at least two
 * answers, they are shown on one screen to accept with one Enter or change one by one; the answers without a
 * default are then asked field by field. A form with fewer resolved answers is the field-by-field form alone.
 */
export function AnswersForm({parameters, context, secrets, height, columns, listRows, onSubmit}: AnswersFormProps) {
	const hasSecret = (key: string) => secrets.get(key) !== undefined;
	const [answers, setAnswers] = useState<Answers>(() => ({...context.answers}));
	const [withSummary] = useState(() => resolveForm(parameters, context, hasSecret).rows.filter(row => row.state === 'resolved').length >= summaryThreshold);
	const [mode, setMode] = useState<Mode>({name: 'summary', cursor: -1});

	if (!withSummary) {
		return <ParameterForm parameters={parameters} context={context} secrets={secrets} listRows={listRows} onSubmit={onSubmit} />;
	}

	const resolution = resolveForm(parameters, {...context, answers}, hasSecret);
	const finish = (final: Answers) => {
		const result: Answers = {};
		for (const row of resolveForm(parameters, {...context, answers: final}, hasSecret).rows) {
			if (row.parameter.type !== 'secret' && row.value !== undefined && row.value !== null) {
				result[row.parameter.key] = row.value;
			}
		}

		onSubmit(result);
	};

	const accept = (current: Answers) => {
		const next = resolveForm(parameters, {...context, answers: current}, hasSecret);
		if (next.rows.some(row => row.state === 'missing')) {
			setAnswers(current);
			setMode(previous => ({name: 'ask', round: previous.name === 'ask' ? previous.round + 1 : 0}));
		} else {
			finish(current);
		}
	};

	if (mode.name === 'edit') {
		const parameter = parameters.find(candidate => candidate.key === mode.key);
		if (parameter) {
			return (
				<Box flexDirection="column">
					<Text color={colors.muted}>Change one answer; Esc keeps it as it was.</Text>
					<ParameterForm
						parameters={[parameter]}
						context={{...context, answers: resolution.answers}}
						secrets={secrets}
						listRows={listRows}
						counter={false}
						onSubmit={result => {
							// An optional answer emptied on purpose is kept empty: null stops its default from coming back.
							setAnswers({...answers, [parameter.key]: parameter.type === 'secret' ? answers[parameter.key] : result[parameter.key] ?? null});
							setMode({name: 'summary', cursor: mode.cursor});
						}}
						onCancel={() => {
							setMode({name: 'summary', cursor: mode.cursor});
						}}
					/>
				</Box>
			);
		}
	}

	if (mode.name === 'ask') {
		const missing = resolution.rows.filter(row => row.state === 'missing').map(row => row.parameter);
		return (
			<ParameterForm
				key={mode.round}
				parameters={missing}
				context={{...context, answers: resolution.answers}}
				secrets={secrets}
				listRows={listRows}
				onSubmit={result => {
					accept({...resolution.answers, ...result});
				}}
				onCancel={() => {
					setMode({name: 'summary', cursor: -1});
				}}
			/>
		);
	}

	return (
		<AnswerSummary
			rows={summaryRows(resolution.rows, {...context, answers: resolution.answers})}
			height={height}
			columns={columns}
			initialCursor={mode.name === 'summary' ? mode.cursor : -1}
			onAccept={() => {
				accept(answers);
			}}
			onEdit={(key, cursor) => {
				setMode({name: 'edit', key, cursor});
			}}
		/>
	);
}
