export { generatePassword, hashPassword, verifyPassword } from './passwords.js';
export { UsersErrors } from './users.errors.js';
export { emailIsTaken, insertUser, type NewUserRow } from './users.repository.js';
export { usersRoutes } from './users.routes.js';
export { countActiveUsers, isActiveMember, type UsersDeps } from './users.service.js';
