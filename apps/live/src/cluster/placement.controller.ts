import { Controller, Get, Query } from '@nestjs/common';
import { IsMongoId, IsOptional } from 'class-validator';
import { PlacementService } from './placement.service';

export class PlacementQuery {
  /** The session the client is about to join (its owner is preferred when not much busier). */
  @IsOptional()
  @IsMongoId()
  sessionId?: string;
}

/**
 * Where a client should open its live socket (issue 14, placement): the
 * least-loaded live node, by the loads the nodes publish to Redis. Public like
 * /health: it names only nodes' public addresses and loads.
 */
@Controller('placement')
export class PlacementController {
  constructor(private readonly placement: PlacementService) {}

  /**
   * `nodes` lists the addresses of every live node with a fresh report: a
   * client that remembers them can still ask when the node it knew dies.
   */
  @Get()
  async place(@Query() query: PlacementQuery): Promise<{ nodeId: string; url: string; load: number; nodes: string[] }> {
    const { node, nodes } = await this.placement.placeAmong(query.sessionId);
    return { nodeId: node.nodeId, url: node.url, load: node.load, nodes: nodes.map((n) => n.url).filter(Boolean) };
  }
}
