import { api, type Page } from '../../api/api';
import type { CurrentUser } from '../../auth/session';
import { type PageQuery, pageParams } from '../paging';

export type Role = CurrentUser['role'];

/** The roles, most powerful first (packages/server/src/modules/users/users.schemas.ts). */
export const ROLES: readonly Role[] = [
  'owner',
  'admin',
  'manager',
  'analyst',
  'sales_rep',
  'viewer',
];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  analyst: 'Analyst',
  sales_rep: 'Sales rep',
  viewer: 'Viewer',
};

/** A user as GET /users lists them. */
export interface OrganizationUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: Role;
  isActive: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  email: string;
  firstName?: string;
  lastName?: string;
  role: Role;
}

/** POST /users: with no password sent, the API makes one and returns it this once. */
export type CreatedUser = OrganizationUser & { temporaryPassword?: string };

export interface UserChange {
  role?: Role;
  isActive?: boolean;
}

const settingsUsersApi = api.injectEndpoints({
  endpoints: (build) => ({
    listOrganizationUsers: build.query<Page<OrganizationUser>, PageQuery>({
      query: (page) => ({ url: 'users', params: pageParams(page) }),
      providesTags: ['User'],
    }),
    createUser: build.mutation<CreatedUser, NewUser>({
      query: (body) => ({ url: 'users', method: 'POST', body }),
      invalidatesTags: ['User'],
    }),
    updateUser: build.mutation<OrganizationUser, { id: string; change: UserChange }>({
      query: ({ id, change }) => ({ url: `users/${id}`, method: 'PATCH', body: change }),
      invalidatesTags: ['User'],
    }),
  }),
});

export const { useListOrganizationUsersQuery, useCreateUserMutation, useUpdateUserMutation } =
  settingsUsersApi;
