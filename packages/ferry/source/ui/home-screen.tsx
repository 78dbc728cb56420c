import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import {useState} from 'react';
import {formatAge} from './format.js';
import {KeyLegend} from './key-legend.js';
import {SelectionMarker} from './selection-marker.js';
import {colors, symbols} from './theme.js';

export type HomeData = {
	wizards: Array<{id: string; title: string; description: string}>;
	sessions: Array<{id: string; wizard: string; profile: string; state: string; lastStep?: string; updatedAt: string}>;
	profiles: Array<{name: string; description?: string}>;
};

/** `report`: a finished session was chosen; show its saved report (it has nothing left to resume). */
export type HomeChoice =
	| {action: 'start'; wizard: string; profile: string}
	| {action: 'resume'; sessionId: string}
	| {action: 'report'; sessionId: string}
	| {action: 'test-profile'; profile: string}
	| {action: 'quit'};

type Stage = {name: 'menu'} | {name: 'wizard'} | {name: 'profile'; wizard: string} | {name: 'resume'} | {name: 'finished'} | {name: 'profiles'};

type HomeSession = HomeData['sessions'][number];

/** A session that ran to its end (equal or different): its report is final and there is nothing to resume. */
export function isFinished(session: Pick<HomeSession, 'state'>): boolean {
	return session.state === 'done' || session.state === 'different';
}

/** `local` first: a newcomer rehearses on the local cloud before touching a real account. */
export function orderProfiles(profiles: HomeData['profiles']): HomeData['profiles'] {
	const local = profiles.filter(profile => profile.name === 'local');
	return [...(local.length > 0 ? local : [{name: 'local', description: 'the local cloud on this machine'}]), ...profiles.filter(profile => profile.name !== 'local')];
}

function ItemWithHint({isSelected, label}: {isSelected?: boolean; label: string}) {
	const [main, hint] = label.split('\t');
	return (
		<Text>
			<Text color={isSelected ? colors.selected : undefined}>{main}</Text>
			{hint ? <Text color={colors.muted}>{`  ${hint}`}</Text> : null}
		</Text>
	);
}

/** Start a procedure (wizard, then profile), resume a session, test a profile, or quit. */
export function HomeScreen({data, listRows = 8, now = Date.now(), onChoice}: {data: HomeData; listRows?: number; now?: number; onChoice(choice: HomeChoice): void}) {
	const [stage, setStage] = useState<Stage>({name: 'menu'});
	const [highlighted, setHighlighted] = useState(data.wizards[0]?.id);
	useInput((_input, key) => {
		if (!key.escape) {
			return;
		}

		if (stage.name === 'profile') {
			setStage({name: 'wizard'});
		} else if (stage.name !== 'menu') {
			setStage({name: 'menu'});
		}
	});

	const limit = Math.max(3, listRows);
	if (stage.name === 'wizard') {
		const description = data.wizards.find(wizard => wizard.id === highlighted)?.description;
		return (
			<Box flexDirection="column">
				<Text bold>Which procedure?</Text>
				<SelectInput
					key="wizard"
					items={data.wizards.map(wizard => ({key: wizard.id, label: `${wizard.title}\t${wizard.id}`, value: wizard.id}))}
					limit={limit}
					indicatorComponent={SelectionMarker}
					itemComponent={ItemWithHint}
					onHighlight={item => {
						setHighlighted(item.value);
					}}
					onSelect={item => {
						setStage({name: 'profile', wizard: item.value});
					}}
				/>
				{description ? <Text color={colors.muted}>{description}</Text> : null}
				<KeyLegend keys={[[symbols.upDown, 'move'], ['Enter', 'choose'], ['Esc', 'back']]} />
			</Box>
		);
	}

	if (stage.name === 'profile') {
		const profiles = orderProfiles(data.profiles);
		return (
			<Box flexDirection="column">
				<Text bold>Which profile?</Text>
				<SelectInput
					key="profile"
					items={profiles.map(profile => ({key: profile.name, label: `${profile.name}\t${profile.description ?? ''}`, value: profile.name}))}
					initialIndex={0}
					limit={limit}
					indicatorComponent={SelectionMarker}
					itemComponent={ItemWithHint}
					onSelect={item => {
						onChoice({action: 'start', wizard: stage.wizard, profile: item.value});
					}}
				/>
				<KeyLegend keys={[[symbols.upDown, 'move'], ['Enter', 'start'], ['Esc', 'back']]} />
			</Box>
		);
	}

	if (stage.name === 'resume' || stage.name === 'finished') {
		const finished = stage.name === 'finished';
		const sessions = data.sessions.filter(session => isFinished(session) === finished);
		return (
			<Box flexDirection="column">
				<Text bold>{finished ? 'Which finished session?' : 'Which session?'}</Text>
				{finished ? <Text color={colors.muted}>Choose one to read its verification report.</Text> : null}
				<SelectInput
					key={stage.name}
					items={sessions.map(session => ({
						key: session.id,
						label: `${finished ? `${session.state === 'done' ? symbols.success : symbols.different} ` : ''}${session.wizard} ${symbols.separator} ${session.profile} ${symbols.separator} ${session.state}\t${session.lastStep && !finished ? `at ${session.lastStep}, ` : ''}${formatAge(session.updatedAt, now)} ${symbols.separator} ${session.id}`,
						value: session.id,
					}))}
					limit={limit}
					indicatorComponent={SelectionMarker}
					itemComponent={ItemWithHint}
					onSelect={item => {
						onChoice({action: finished ? 'report' : 'resume', sessionId: item.value});
					}}
				/>
				<KeyLegend keys={[[symbols.upDown, 'move'], ['Enter', finished ? 'show report' : 'resume'], ['Esc', 'back']]} />
			</Box>
		);
	}

	if (stage.name === 'profiles') {
		return (
			<Box flexDirection="column">
				<Text bold>Profiles</Text>
				<Text color={colors.muted}>Choose one to test it: "who am I" on every service.</Text>
				<SelectInput
					key="profiles"
					items={orderProfiles(data.profiles).map(profile => ({key: profile.name, label: `${profile.name}\t${profile.description ?? ''}`, value: profile.name}))}
					limit={limit}
					indicatorComponent={SelectionMarker}
					itemComponent={ItemWithHint}
					onSelect={item => {
						onChoice({action: 'test-profile', profile: item.value});
					}}
				/>
				<Text color={colors.muted}>Add one with: ferry profiles add NAME --set awsRegion=… --set alibabaRegion=…</Text>
				<KeyLegend keys={[[symbols.upDown, 'move'], ['Enter', 'test'], ['Esc', 'back']]} />
			</Box>
		);
	}

	const resumable = data.sessions.filter(session => !isFinished(session)).length;
	const finished = data.sessions.length - resumable;
	const menu = [
		{key: 'start', label: 'Start a procedure', value: 'start'},
		...(resumable > 0 ? [{key: 'resume', label: `Resume a session\t${resumable} saved`, value: 'resume'}] : []),
		...(finished > 0 ? [{key: 'finished', label: `Finished sessions\t${finished} with a report`, value: 'finished'}] : []),
		{key: 'profiles', label: `Profiles\t${data.profiles.length} configured`, value: 'profiles'},
		{key: 'quit', label: 'Quit', value: 'quit'},
	];
	return (
		<Box flexDirection="column">
			<Text bold color={colors.accent}>ferry</Text>
			<Text color={colors.muted}>Carry data between clouds, step by step, resumable and verified.</Text>
			<SelectInput
				key="menu"
				items={menu}
				indicatorComponent={SelectionMarker}
				itemComponent={ItemWithHint}
				onSelect={item => {
					if (item.value === 'quit') {
						onChoice({action: 'quit'});
					} else {
						setStage({name: item.value === 'start' ? 'wizard' : (item.value as 'profiles' | 'resume' | 'finished')} as Stage);
					}
				}}
			/>
			<KeyLegend keys={[[symbols.upDown, 'move'], ['Enter', 'choose'], ['Ctrl-C', 'quit']]} />
		</Box>
	);
}
