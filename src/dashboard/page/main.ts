// The live dashboard's script (bundled by src/http/dashboard.ts): one SDK client, five panels.
import { connect } from './connection.ts';
import { byId } from './dom.ts';
import { startHealth } from './health.ts';
import { startHeatmaps } from './heatmaps.ts';
import { startRankings } from './rankings.ts';
import { startTicker } from './ticker.ts';
import { worldMap } from './world-map.ts';
import './style.css';

const config = JSON.parse(byId('dashboard').dataset.config ?? '{}') as { graphql: string; mapScale: number };
const connection = connect(config.graphql);
const plot = worldMap(config.mapScale);
startTicker(connection, plot);
const refreshHeatmaps = startHeatmaps(connection);
startRankings(connection, refreshHeatmaps);
startHealth(connection);
