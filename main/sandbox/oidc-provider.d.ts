/**
 * The small part of oidc-provider 9 (which ships no types) that the sandbox uses. Kept loose where
 * oidc-provider is loose; everything read from it is checked where it is used.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextLike {
    status: number;
    body: unknown;
    oidc?: {
      route?: string;
      entities: Record<string, { grantId?: string } | undefined>;
    };
  }

  export interface TokenRecord {
    readonly clientId?: string;
    readonly accountId?: string;
    readonly scope?: string;
    readonly aud?: string | string[];
    readonly grantId?: string;
    readonly exp?: number;
    readonly iat?: number;
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { readonly name: string; readonly details: Record<string, unknown> };
    readonly params: Record<string, unknown>;
    readonly session?: { readonly accountId?: string };
    readonly grantId?: string;
    readonly lastSubmission?: Record<string, unknown>;
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContextLike, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    readonly Grant: {
      new (properties: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    readonly AccessToken: { find(token: string): Promise<TokenRecord | undefined> };
    readonly ClientCredentials: { find(token: string): Promise<TokenRecord | undefined> };
  }

  export default Provider;
}
