import {Text} from 'ink';
import {useEffect, useState} from 'react';
import {animateSpinner, colors, symbols} from './theme.js';

const frameIntervalMs = 80;

/** An animated spinner, or a still marker where animation would only be noise (NO_COLOR, no unicode). */
export function Spinner({animate = animateSpinner}: {animate?: boolean}) {
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		if (!animate) {
			return;
		}

		const timer = setInterval(() => {
			setFrame(previous => (previous + 1) % symbols.spinnerFrames.length);
		}, frameIntervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [animate]);

	return <Text color={colors.accent}>{animate ? symbols.spinnerFrames[frame] : symbols.running}</Text>;
}
