import type {SubTaskProgress} from './wizard.js';

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < byteUnits.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${unit === 0 ? value : value.toFixed(1)} ${byteUnits[unit]}`;
}

export function formatDuration(milliseconds: number): string {
	const seconds = Math.max(0, Math.round(milliseconds / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function formatAmount(value: number, unit: SubTaskProgress['unit']): string {
	return unit === 'bytes' ? formatBytes(value) : `${value.toLocaleString('en-US')} ${unit}`;
}

/** "12.0 MiB / 40.0 MiB · 30% · 3.2 MiB/s · ETA 9s" — rate and ETA only when the total is known and time has passed. */
export function formatProgress(progress: SubTaskProgress, elapsedMs: number): string {
	const parts = [progress.total === undefined ? formatAmount(progress.done, progress.unit) : `${formatAmount(progress.done, progress.unit)} / ${formatAmount(progress.total, progress.unit)}`];
	if (progress.total !== undefined && progress.total > 0) {
		parts.push(`${Math.floor((progress.done / progress.total) * 100)}%`);
	}

	if (elapsedMs >= 1000 && progress.done > 0) {
		const rate = progress.done / (elapsedMs / 1000);
		parts.push(progress.unit === 'bytes' ? `${formatBytes(rate)}/s` : `${Math.round(rate).toLocaleString('en-US')} ${progress.unit}/s`);
		if (progress.total !== undefined && progress.total > progress.done) {
			parts.push(`ETA ${formatDuration(((progress.total - progress.done) / rate) * 1000)}`);
		}
	}

	return parts.join(' · ');
}
