import { api, type Page } from '../api/api';

/** A member of the organisation, as GET /users lists them. */
export interface Member {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: string;
  isActive: boolean;
}

/**
 * The most members one page of GET /users holds (the API's maximum): an organisation's team
 * fits in it. Inactive members are listed too, as leads they owned still name them.
 */
const MEMBERS_PAGE = 200;

const usersApi = api.injectEndpoints({
  endpoints: (build) => ({
    listMembers: build.query<Member[], void>({
      query: () => ({ url: 'users', params: { limit: MEMBERS_PAGE } }),
      transformResponse: (page: Page<Member>) => page.data,
      providesTags: ['User'],
    }),
  }),
});

export const { useListMembersQuery } = usersApi;

export const memberName = (member: Member) =>
  [member.firstName, member.lastName].filter(Boolean).join(' ') || member.email;
