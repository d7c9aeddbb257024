// What the dashboard's live panels need from the server besides the existing API: the pipeline
// history and the rolling-rankings feed, started and stopped with the server.
import type { AlertEvaluator } from '../alerts/evaluator.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { Realtime } from '../streaming/realtime/realtime.ts';
import { PipelineHistory } from './pipeline-history.ts';
import { RankingsFeed } from './rankings-feed.ts';

export interface DashboardFeeds {
  history: PipelineHistory;
  rankings: RankingsFeed;
  start(): void;
  stop(): Promise<void>;
}

export function dashboardFeeds(deps: {
  alerts: AlertEvaluator;
  database: Database;
  analyticsDb: Database;
  realtime: Realtime | undefined;
  evaluationSeconds: number;
  log: Logger;
}): DashboardFeeds {
  const { realtime } = deps;
  const history = new PipelineHistory({
    evaluator: deps.alerts,
    pool: deps.database.pool,
    log: deps.log,
    intervalSeconds: deps.evaluationSeconds,
    subscribers: () => {
      if (!realtime) return 0;
      const counts = realtime.stream.counts();
      return counts.events + counts.datamart;
    },
  });
  const rankings = new RankingsFeed({ db: deps.analyticsDb, pubsub: realtime?.pubsub ?? null, log: deps.log });
  return {
    history,
    rankings,
    start() {
      history.start();
      rankings.start();
    },
    async stop() {
      rankings.stop();
      await history.stop();
    },
  };
}
