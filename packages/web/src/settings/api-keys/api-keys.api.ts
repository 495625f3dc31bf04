import { api, type Page } from '../../api/api';
import { type PageQuery, pageParams } from '../paging';

/** What an API key may be given (API_KEY_SCOPES in packages/server/src/modules/auth). */
export const API_KEY_SCOPES = ['activities:write', 'leads:read', 'leads:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const SCOPE_LABELS: Record<ApiKeyScope, string> = {
  'activities:write': 'Send activities (activities:write)',
  'leads:read': 'Read leads (leads:read)',
  'leads:write': 'Create and update leads (leads:write)',
};

/** An API key as GET /api-keys lists it: never the key itself. */
export interface ApiKey {
  id: string;
  name: string;
  /** The key reads lsk_{prefix}_{secret}. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  expiresAt: string | null;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** POST /api-keys answers with the whole key, this once. */
export type CreatedApiKey = Omit<ApiKey, 'createdBy' | 'lastUsedAt' | 'revokedAt'> & {
  key: string;
};

const apiKeysApi = api.injectEndpoints({
  endpoints: (build) => ({
    listApiKeys: build.query<Page<ApiKey>, PageQuery>({
      query: (page) => ({ url: 'api-keys', params: pageParams(page) }),
      providesTags: ['ApiKey'],
    }),
    createApiKey: build.mutation<CreatedApiKey, { name: string; scopes: ApiKeyScope[] }>({
      query: (body) => ({ url: 'api-keys', method: 'POST', body }),
      invalidatesTags: ['ApiKey'],
    }),
    revokeApiKey: build.mutation<void, string>({
      query: (id) => ({ url: `api-keys/${id}`, method: 'DELETE' }),
      invalidatesTags: ['ApiKey'],
    }),
  }),
});

export const { useListApiKeysQuery, useCreateApiKeyMutation, useRevokeApiKeyMutation } = apiKeysApi;
