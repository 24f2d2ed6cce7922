// The ECharts build the page loads as /vendor/echarts.min.js: only what src/charts.rs uses
// (bar and line series, grid, legend, axis tooltip, canvas renderer), bundled from the npm
// `echarts` package by esbuild (`npm run build:echarts`, run by scripts/setup.sh). charming's
// WasmRenderer calls the global `echarts.init`, so the bundle exposes the core as that global.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

globalThis.echarts = echarts;
