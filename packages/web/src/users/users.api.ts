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

/** The most members one page of GET /users holds: enough to choose an owner from. */
const MEMBERS_PAGE = 200;

const usersApi = api.injectEndpoints({
  endpoints: (build) => ({
    listActiveMembers: build.query<Member[], void>({
      query: () => ({ url: 'users', params: { limit: MEMBERS_PAGE, isActive: true } }),
      transformResponse: (page: Page<Member>) => page.data,
      providesTags: ['User'],
    }),
  }),
});

export const { useListActiveMembersQuery } = usersApi;

export const memberName = (member: Member) =>
  [member.firstName, member.lastName].filter(Boolean).join(' ') || member.email;
