import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { useAppSelector } from '../hooks';
import type { OrganizationEventName, OrganizationEvents } from './events';

const SocketContext = createContext<Socket | null>(null);

/**
 * One socket.io connection for the signed-in session, joined to the organisation's room with
 * the access token; a new token (after a refresh) opens a new connection with it.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const token = useAppSelector((state) => state.session.current?.accessToken);
  const [socket, setSocket] = useState<Socket | null>(null);
  useEffect(() => {
    if (!token) return;
    const connection = io({ path: '/socket.io', auth: { token }, transports: ['websocket'] });
    setSocket(connection);
    return () => {
      connection.disconnect();
      setSocket(null);
    };
  }, [token]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

/**
 * Calls `handler` for each `event` of the organisation while the component is mounted. The
 * latest handler is used without resubscribing, so callers need not memoise it.
 */
export function useOrganizationEvent<K extends OrganizationEventName>(
  event: K,
  handler: (payload: OrganizationEvents[K]) => void,
): void {
  const socket = useContext(SocketContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: OrganizationEvents[K]) => latest.current(payload);
    socket.on(event as string, listener);
    return () => {
      socket.off(event as string, listener);
    };
  }, [socket, event]);
}
