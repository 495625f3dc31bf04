// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../store';
import { UserForm } from './UserForm';
import { ROLES } from './users.api';

const problem = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** POST /users answers with these in turn; returns the bodies sent. */
function answerCreate(...responses: (() => Response)[]) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      sent.push(await request.json());
      return (responses[sent.length - 1] as () => Response)();
    }),
  );
  return sent;
}

function renderForm() {
  const onCreated = vi.fn();
  render(
    <Provider store={createStore(null)}>
      <UserForm assignableRoles={ROLES} onCreated={onCreated} onClose={() => undefined} />
    </Provider>,
  );
  return onCreated;
}

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label, { exact: false }), { target: { value } });
const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Add user' }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the new user form', () => {
  it('says what is wrong with the email before asking the API', async () => {
    const sent = answerCreate();
    renderForm();
    submit();
    expect(await screen.findByText('Enter an email address.')).toBeTruthy();
    type('Email', 'not-an-email');
    submit();
    expect(await screen.findByText('This is not an email address.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('shows the API’s refusal under the field it is about, and clears it on an edit', async () => {
    answerCreate(
      problem(409, {
        title: 'The email is already in use',
        status: 409,
        code: 'USERS_EMAIL_TAKEN',
        detail: 'A user with the email ada@example.com already exists',
      }),
      problem(400, {
        title: 'The request is not valid',
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: 'body.firstName: must NOT have more than 100 characters',
        errors: [
          { in: 'body', field: 'firstName', message: 'must NOT have more than 100 characters' },
        ],
      }),
    );
    renderForm();
    type('Email', 'ada@example.com');
    submit();
    const taken = await screen.findByText('A user with the email ada@example.com already exists');
    expect(taken.id).toBe(
      screen.getByLabelText('Email', { exact: false }).getAttribute('aria-describedby'),
    );

    type('Email', 'ada.l@example.com');
    expect(screen.queryByText(/already exists/)).toBeNull();
    submit();
    const tooLong = await screen.findByText('must NOT have more than 100 characters');
    expect(tooLong.id).toBe(screen.getByLabelText('First name').getAttribute('aria-describedby'));
  });

  it('sends the email, names and role, and hands over the temporary password the API made', async () => {
    const created = {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: null,
      role: 'analyst',
      isActive: true,
      lastLoginAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      temporaryPassword: 'correct-horse-battery',
    };
    const sent = answerCreate(() => new Response(JSON.stringify(created), { status: 201 }));
    const onCreated = renderForm();
    type('Email', ' ada@example.com ');
    type('First name', 'Ada');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Role' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Analyst' }));
    submit();
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(sent).toEqual([{ email: 'ada@example.com', firstName: 'Ada', role: 'analyst' }]);
  });
});
