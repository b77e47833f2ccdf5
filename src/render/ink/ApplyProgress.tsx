/** Live apply progress: finished steps written once above (ink `<Static>`), running ones with a spinner, a bar. */
import { useEffect, useMemo, useState } from 'react';
import { Box, Static, Text, useStdout } from 'ink';
import { terminalText } from '../escape/terminal.js';
import { ACTION_SYMBOLS, displayName } from '../names.js';
import { formatSeconds } from '../seconds.js';
import { finishedSteps, progressBar, type ProgressState, type StepProgress } from './progress-state.js';
import { fit } from './review-lines.js';
import { toneProps } from './tones.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function ApplyProgress({ state, color }: { state: ProgressState; color: boolean }) {
  const { stdout } = useStdout();
  const width = Math.max(40, stdout.columns ?? 80);
  const now = useTicker(state.outcome === undefined);
  const { running, counts } = state;
  const finished = useMemo(() => finishedSteps(state.finished), [state.finished]);
  return (
    <Box flexDirection="column">
      <Static items={finished}>
        {(entry) => <FinishedStep key={entry.step.index} entry={entry} color={color} width={width} />}
      </Static>
      {running.map((entry) => (
        <Text key={entry.step.index}>
          {fit(
            `${SPINNER[Math.floor(now / 100) % SPINNER.length]} ${stepLabel(entry)}  ${formatSeconds(Math.max(0, now - (entry.startedAt ?? now)))}`,
            width,
          )}
        </Text>
      ))}
      {state.outcome === undefined ? (
        <Text>
          {`${progressBar(counts.done, counts.total, 24)} ${counts.done}/${counts.total} steps`}
          {counts.failed > 0 ? ` · ${counts.failed} failed` : ''}
          {counts.skipped > 0 ? ` · ${counts.skipped} skipped` : ''}
          {state.stopping ? ' · stopping after the running steps (Ctrl-C)' : ''}
        </Text>
      ) : null}
    </Box>
  );
}

function FinishedStep({ entry, color, width }: { entry: StepProgress; color: boolean; width: number }) {
  const mark = entry.status === 'succeeded' ? '✔' : entry.status === 'failed' ? '✖' : '↷';
  const tone = entry.status === 'succeeded' ? 'create' : entry.status === 'failed' ? 'delete' : 'dim';
  const time = entry.durationMs === undefined ? '' : `  ${formatSeconds(entry.durationMs)}`;
  return (
    <Box flexDirection="column">
      <Text {...toneProps(tone, color)}>{fit(`${mark} ${stepLabel(entry)}${time}`, width)}</Text>
      {entry.detail ? (
        <Text
          {...toneProps(entry.status === 'failed' ? 'risk' : 'dim', color)}
        >{`    ${terminalText(entry.detail)}`}</Text>
      ) : null}
    </Box>
  );
}

export function stepLabel(entry: StepProgress): string {
  return `${String(entry.step.index).padStart(3)}. ${ACTION_SYMBOLS[entry.step.action].padEnd(3)} ${terminalText(displayName(entry.step.address))}`;
}

/** Re-renders every 100 ms while steps run, for the spinner and elapsed times. */
function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
