import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import {useEffect, useState} from 'react';
import {checkAnswer, defaultFor, isEmptyAnswer, parseAnswer} from '../engine/parameters.js';
import type {Answers, Parameter, ParameterContext, SecretStore} from '../engine/wizard.js';
import {describeError} from '../engine/errors.js';
import {registerSecret} from '../log/redact.js';
import {LineInput} from './line-input.js';
import {KeyLegend} from './key-legend.js';
import {MultiSelect} from './multi-select.js';
import {SelectionMarker} from './selection-marker.js';
import {colors, symbols} from './theme.js';

export type ParameterFormProps = {
	parameters: readonly Parameter[];
	context: ParameterContext;
	/** Secret answers go here, never into the answers passed to onSubmit. */
	secrets: SecretStore;
	/** Rows the form may use for a list of choices. */
	listRows?: number;
	/** Show "(n/total)" after the label. @default true */
	counter?: boolean;
	onSubmit(answers: Answers): void;
	/** Esc on the first field: leave the form (e.g. back to the answers summary). Without it Esc there does nothing. */
	onCancel?(): void;
};

type FieldProps = {
	parameter: Parameter;
	initial: unknown;
	listRows: number;
	context: ParameterContext;
	hasStoredSecret: boolean;
	/** Returns a message when the raw answer is refused; otherwise the form moves on. */
	onAnswer(raw: unknown): string | undefined;
};

function displayText(value: unknown): string {
	if (value === undefined || value === null) {
		return '';
	}

	return Array.isArray(value) ? value.join(',') : String(value);
}

function TextField({parameter, initial, hasStoredSecret, onAnswer}: FieldProps) {
	const isSecret = parameter.type === 'secret';
	// A secret is never pre-filled: the value would sit in the frame's memory and the input would invite Enter.
	const [value, setValue] = useState(isSecret ? '' : displayText(initial));
	return (
		<LineInput
			value={value}
			{...(isSecret ? {mask: '*'} : {})}
			placeholder={isSecret && hasStoredSecret ? 'stored; Enter keeps it' : parameter.example ?? ''}
			onChange={setValue}
			onSubmit={onAnswer}
		/>
	);
}

function BooleanField({initial, onAnswer}: FieldProps) {
	const preset = typeof initial === 'boolean' ? initial : undefined;
	useInput((input, key) => {
		const lower = input.toLowerCase();
		if (lower === 'y' || lower === 'n') {
			onAnswer(lower === 'y');
		} else if (key.return) {
			onAnswer(preset ?? '');
		}
	});
	return <Text color={colors.accent}>{`${symbols.pointer} ${preset === true ? '(Y/n)' : preset === false ? '(y/N)' : '(y/n)'}`}</Text>;
}

function SelectField({parameter, initial, listRows, context, onAnswer}: FieldProps) {
	const choices = parameter.choices?.(context) ?? [];
	const hints = new Map(choices.map(choice => [choice.value, choice.hint]));
	const initialIndex = Math.max(0, choices.findIndex(choice => choice.value === initial));
	return (
		<SelectInput
			items={choices.map(choice => ({key: choice.value, label: choice.label, value: choice.value}))}
			initialIndex={initialIndex}
			limit={Math.max(3, Math.min(listRows, choices.length))}
			indicatorComponent={SelectionMarker}
			itemComponent={({isSelected, label}) => {
				const hint = hints.get(choices.find(choice => choice.label === label)?.value ?? '');
				return (
					<Text>
						<Text color={isSelected ? colors.selected : undefined}>{label}</Text>
						{hint ? <Text color={colors.muted}>{`  ${hint}`}</Text> : null}
					</Text>
				);
			}}
			onSelect={item => {
				onAnswer(item.value);
			}}
		/>
	);
}

function ListField({parameter, initial, listRows, context, onAnswer}: FieldProps) {
	const choices = parameter.choices?.(context) ?? [];
	if (choices.length === 0) {
		return <TextField parameter={parameter} initial={initial} listRows={listRows} context={context} hasStoredSecret={false} onAnswer={onAnswer} />;
	}

	const initialSelected = Array.isArray(initial) ? initial.map(String) : typeof initial === 'string' && initial !== '' ? initial.split(',').map(item => item.trim()) : [];
	return <MultiSelect choices={choices} initialSelected={initialSelected} limit={listRows} onSubmit={values => onAnswer(values)} />;
}

const legends: Record<Parameter['type'], Array<[string, string]>> = {
	string: [['Enter', 'accept'], ['Esc', 'back'], ['Ctrl-C', 'stop']],
	number: [['Enter', 'accept'], ['Esc', 'back'], ['Ctrl-C', 'stop']],
	secret: [['typing', 'hidden'], ['Enter', 'accept'], ['Esc', 'back'], ['Ctrl-C', 'stop']],
	boolean: [['y/n', 'answer'], ['Enter', 'default'], ['Esc', 'back'], ['Ctrl-C', 'stop']],
	select: [[symbols.upDown, 'move'], ['Enter', 'choose'], ['Esc', 'back'], ['Ctrl-C', 'stop']],
	list: [[symbols.upDown, 'move'], ['Space', 'toggle'], ['a', 'all/none'], ['Enter', 'confirm'], ['Esc', 'back']],
	json: [['Enter', 'accept'], ['Esc', 'back'], ['Ctrl-C', 'stop']],
};

function isAsked(parameter: Parameter, answers: Answers): boolean {
	return parameter.when === undefined || parameter.when(answers);
}

/**
 * One field at a time: label, help, the default pre-filled, validation on Enter with the engine's own
 * parse and check. Esc goes back one field.
 */
export function ParameterForm({parameters, context, secrets, listRows = 8, counter = true, onSubmit, onCancel}: ParameterFormProps) {
	const [answers, setAnswers] = useState<Answers>(() => ({...context.answers}));
	const [position, setPosition] = useState(() => parameters.findIndex(parameter => isAsked(parameter, context.answers)));
	const [history, setHistory] = useState<number[]>([]);
	const [problem, setProblem] = useState<string | undefined>();
	const [visit, setVisit] = useState(0);
	// A corrected answer the field now holds, for Enter to accept (see Parameter.correct).
	const [offered, setOffered] = useState<{key: string; value: string} | undefined>();

	const finish = (final: Answers) => {
		const result: Answers = {};
		for (const parameter of parameters) {
			if (parameter.type !== 'secret' && isAsked(parameter, final) && final[parameter.key] !== undefined) {
				result[parameter.key] = final[parameter.key];
			}
		}

		onSubmit(result);
	};

	useInput((_input, key) => {
		if (key.escape && history.length > 0) {
			setPosition(history.at(-1) ?? 0);
			setHistory(history.slice(0, -1));
			setProblem(undefined);
			setOffered(undefined);
			setVisit(visit + 1);
		} else if (key.escape) {
			onCancel?.();
		}
	});

	const nothingToAsk = position < 0;
	useEffect(() => {
		if (nothingToAsk) {
			finish(answers);
		}
		// Runs once: a form whose every parameter is switched off by `when` answers at once.
	}, []);

	if (nothingToAsk) {
		return null;
	}

	const parameter = parameters[position];
	if (parameter === undefined) {
		return null;
	}

	const scoped: ParameterContext = {...context, answers};
	const initial = offered?.key === parameter.key ? offered.value : answers[parameter.key] ?? defaultFor(parameter, scoped);
	const hasStoredSecret = parameter.type === 'secret' && secrets.get(parameter.key) !== undefined;

	const onAnswer = (raw: unknown): string | undefined => {
		const refuse = (message: string) => {
			setProblem(message);
			return message;
		};

		let value: unknown;
		try {
			value = isEmptyAnswer(raw) ? undefined : parseAnswer(parameter, raw);
		} catch (error) {
			return refuse(describeError(error).message);
		}

		const next: Answers = {...answers};
		if (parameter.type === 'secret') {
			if (value === undefined && hasStoredSecret) {
				value = secrets.get(parameter.key);
			}

			const message = checkAnswer(parameter, value, scoped);
			if (message) {
				return refuse(message);
			}

			if (typeof value === 'string' && value !== '') {
				registerSecret(value);
				secrets.set(parameter.key, value);
			}
		} else {
			const message = checkAnswer(parameter, value, scoped);
			const correction = message && typeof raw === 'string' ? parameter.correct?.(raw) : undefined;
			if (message && correction && !checkAnswer(parameter, correction.value, scoped)) {
				setOffered({key: parameter.key, value: correction.value});
				setVisit(visit + 1);
				return refuse(`${message}. ${correction.notice}: Enter accepts it`);
			}

			if (message) {
				return refuse(message);
			}

			if (value === undefined) {
				delete next[parameter.key];
			} else {
				next[parameter.key] = value;
			}
		}

		setProblem(undefined);
		setOffered(undefined);
		setAnswers(next);
		const following = parameters.findIndex((candidate, index) => index > position && isAsked(candidate, next));
		if (following < 0) {
			finish(next);
			return undefined;
		}

		setHistory([...history, position]);
		setPosition(following);
		setVisit(visit + 1);
		return undefined;
	};

	const fieldProps: FieldProps = {parameter, initial, listRows, context: scoped, hasStoredSecret, onAnswer};
	const Field = parameter.type === 'boolean' ? BooleanField : parameter.type === 'select' ? SelectField : parameter.type === 'list' ? ListField : TextField;
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{parameter.label}</Text>
				{counter ? <Text color={colors.muted}>{` (${position + 1}/${parameters.length})`}</Text> : null}
				{parameter.optional ? <Text color={colors.muted}> optional</Text> : null}
			</Text>
			{parameter.help ? <Text color={colors.muted}>{parameter.help}</Text> : null}
			<Field key={`${parameter.key}:${visit}`} {...fieldProps} />
			{problem ? <Text color={colors.failure}>{`${symbols.failure} ${problem}`}</Text> : null}
			<KeyLegend keys={legends[parameter.type]} />
		</Box>
	);
}
