import { api } from '../../api/api';

/** GET /organizations/current. */
export interface Organization {
  id: string;
  name: string;
  slug: string;
  domain: string | null;
  createdAt: string;
  /** Active users; deactivated ones are not counted. */
  userCount: number;
}

export interface OrganizationChange {
  name?: string;
  domain?: string | null;
}

const organizationApi = api.injectEndpoints({
  endpoints: (build) => ({
    getOrganization: build.query<Organization, void>({
      query: () => 'organizations/current',
      providesTags: ['Organization'],
    }),
    updateOrganization: build.mutation<Organization, OrganizationChange>({
      query: (body) => ({ url: 'organizations/current', method: 'PATCH', body }),
      invalidatesTags: ['Organization'],
    }),
  }),
});

export const { useGetOrganizationQuery, useUpdateOrganizationMutation } = organizationApi;
