export { generatePassword, hashPassword, verifyPassword } from './passwords.js';
export { emailIsTaken, insertUser, type NewUserRow } from './users.repository.js';
