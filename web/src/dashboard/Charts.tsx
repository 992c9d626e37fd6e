import {
  ArcElement, BarController, BarElement, CategoryScale, Chart as ChartJS, DoughnutController, Filler, Legend,
  LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartOptions,
} from 'chart.js';
import { Bar, Doughnut, Line } from 'react-chartjs-2';
import { formatPrice } from '../format/format';

// Only what these charts draw is registered, so the rest of Chart.js is left out of the dashboard's chunk.
ChartJS.register(BarController, BarElement, LineController, LineElement, PointElement, Filler, DoughnutController, ArcElement,
  CategoryScale, LinearScale, Tooltip, Legend);

// Colours with at least 3:1 contrast against the white panel (WCAG 1.4.11 for graphics).
export const COLORS = { confirmed: '#16794c', pending: '#8a6d00', rejected: '#b3261e', revenue: '#1f4fbf', grid: '#e3e5ea', text: '#333a48' };

const font = { family: 'system-ui, sans-serif', size: 12 };

interface Axes {
  x: string;
  y: string;
}

function cartesian(axes: Axes, stacked: boolean, money: boolean): ChartOptions<'bar' | 'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'top', labels: { color: COLORS.text, font } },
      tooltip: money ? { callbacks: { label: (c) => `${c.dataset.label}: ${formatPrice(Number(c.parsed.y))}` } } : {},
    },
    scales: {
      x: { stacked, title: { display: true, text: axes.x, color: COLORS.text, font }, ticks: { color: COLORS.text, font, maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false } },
      y: {
        stacked, beginAtZero: true, title: { display: true, text: axes.y, color: COLORS.text, font }, grid: { color: COLORS.grid },
        ticks: { color: COLORS.text, font, precision: 0, callback: money ? (v) => formatPrice(Number(v)).replace(/\.00$/, '') : undefined },
      },
    },
  };
}

export interface Series {
  label: string;
  color: string;
  values: number[];
}

/**
 * A chart is a canvas, which assistive technology cannot read: each one (react-chartjs-2 gives the canvas role="img")
 * carries a one-line summary as its label and
 * the same numbers in a table for screen readers. The axis titles are also written on the figure as data attributes,
 * from the very options the chart is drawn with.
 */
function Figure({ testId, title, summary, axes, labels, series, format, children }: {
  testId: string; title: string; summary: string; axes?: Axes; labels: string[]; series: Series[];
  format: (n: number) => string; children: React.ReactNode;
}) {
  return (
    <figure className="chart" data-testid={testId} data-x-title={axes?.x} data-y-title={axes?.y} data-points={labels.length}>
      <figcaption>{title}</figcaption>
      <div className="chart-canvas">{children}</div>
      <table className="sr-only">
        <caption>{title}: {summary}</caption>
        <thead><tr><th scope="col">{axes?.x ?? 'Part'}</th>{series.map((s) => <th key={s.label} scope="col">{s.label}</th>)}</tr></thead>
        <tbody>{labels.map((label, i) => <tr key={label + i}><th scope="row">{label}</th>{series.map((s) => <td key={s.label}>{format(s.values[i] ?? 0)}</td>)}</tr>)}</tbody>
      </table>
    </figure>
  );
}

export function StackedBarChart({ testId, title, summary, axes, labels, series }: { testId: string; title: string; summary: string; axes: Axes; labels: string[]; series: Series[] }) {
  const data = { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderWidth: 0 })) };
  return (
    <Figure testId={testId} title={title} summary={summary} axes={axes} labels={labels} series={series} format={String}>
      <Bar data={data} options={cartesian(axes, true, false) as ChartOptions<'bar'>} aria-label={`${title}: ${summary}`} />
    </Figure>
  );
}

export function MoneyLineChart({ testId, title, summary, axes, labels, series }: { testId: string; title: string; summary: string; axes: Axes; labels: string[]; series: Series[] }) {
  const data = {
    labels,
    datasets: series.map((s) => ({ label: s.label, data: s.values, borderColor: s.color, backgroundColor: `${s.color}22`, fill: true, pointRadius: 2, tension: 0 })),
  };
  return (
    <Figure testId={testId} title={title} summary={summary} axes={axes} labels={labels} series={series} format={formatPrice}>
      <Line data={data} options={cartesian(axes, false, true) as ChartOptions<'line'>} aria-label={`${title}: ${summary}`} />
    </Figure>
  );
}

export function DoughnutChart({ testId, title, summary, parts }: { testId: string; title: string; summary: string; parts: Series[] }) {
  const data = { labels: parts.map((p) => p.label), datasets: [{ label: title, data: parts.map((p) => p.values[0] ?? 0), backgroundColor: parts.map((p) => p.color), borderColor: '#fff' }] };
  const options: ChartOptions<'doughnut'> = { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'right', labels: { color: COLORS.text, font } } } };
  const series = [{ label: 'Orders', color: '', values: parts.map((p) => p.values[0] ?? 0) }];
  return (
    <Figure testId={testId} title={title} summary={summary} labels={parts.map((p) => p.label)} series={series} format={String}>
      <Doughnut data={data} options={options} aria-label={`${title}: ${summary}`} />
    </Figure>
  );
}
